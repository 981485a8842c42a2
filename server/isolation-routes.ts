// Home isolation over HTTP: a checkpoint's devices pull the records of the isolations it follows
// (made on its other devices or in the office) by cursor. See docs/receiver.md ("Home isolation").
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Action, Principal } from './access';
import { HttpError, send } from './http';
import type { Store } from './store';

/** Records a pull answers at most; the device asks again from the cursor until none are left. */
const PAGE = 500;

export interface IsolationRoutesOptions {
  store: Store;
  /** The holder of the request's token, if it may do one of `actions` (401 or 403 otherwise). */
  allowed: (request: IncomingMessage, page: boolean, actions: Action[]) => Principal;
}

export function isolationRoutes({ store, allowed }: IsolationRoutesOptions) {
  /** Handles an isolation route; false when the address is not one. */
  return function route(url: URL, request: IncomingMessage, response: ServerResponse): boolean {
    if (url.pathname !== '/api/v1/isolations' || request.method !== 'GET') return false;
    const principal = allowed(request, false, ['upload']);
    const since = Number(url.searchParams.get('since') ?? 0);
    if (!Number.isInteger(since) || since < 0)
      throw new HttpError(400, 'since must be a cursor (0 at first)');
    // A gate pulls its checkpoint's; the office (which starts isolations for its gates) all.
    const checkpointId = principal.role === 'device' ? (principal.checkpointId ?? '') : undefined;
    send(response, 200, store.isolations.since(checkpointId, since, PAGE));
    return true;
  };
}
