// A route table: each route a method (or several), a path (or a pattern whose groups are its
// parameters) and a handler. The receiver's parts each give one; the first route that matches
// answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decoded } from './http';

export interface RouteCall {
  url: URL;
  request: IncomingMessage;
  response: ServerResponse;
  /** The path pattern's groups, decoded. */
  params: string[];
}

export interface Route {
  method: string | readonly string[];
  path: string | RegExp;
  handle: (call: RouteCall) => unknown;
}

/** Answers with the first route that matches; false when none does. */
export type Router = (
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<boolean>;

export function router(routes: readonly Route[]): Router {
  return async (url, request, response) => {
    for (const route of routes) {
      const methods = typeof route.method === 'string' ? [route.method] : route.method;
      if (!methods.includes(request.method ?? '')) continue;
      const params =
        typeof route.path === 'string'
          ? url.pathname === route.path
            ? []
            : undefined
          : route.path
              .exec(url.pathname)
              ?.slice(1)
              .map((part) => decoded(part ?? ''));
      if (!params) continue;
      await route.handle({ url, request, response, params });
      return true;
    }
    return false;
  };
}
