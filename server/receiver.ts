// The reference receiver's HTTP side: the parts' route tables (the devices' API, fever alerts,
// the office's fleet, home isolation, the pages people up the chain read), the built app on the
// same origin, CORS for configured origins, and errors answered as JSON with their status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { alertRoutes } from './alert-routes';
import { deviceRoutes } from './device-routes';
import { fleetRoutes } from './fleet-routes';
import { guard } from './guard';
import { HttpError, send } from './http';
import { isolationRoutes } from './isolation-routes';
import { type ReportOptions, reportRoutes } from './report-routes';
import { staticFiles } from './static-files';
import type { Store } from './store';

export { MAX_BATCH_RECORDS } from './device-routes';

export interface ReceiverOptions extends ReportOptions {
  store: Store;
  /** The built app (dist/), served on the same origin; none to serve only the API. */
  staticDir?: string;
  /** Origins of apps hosted elsewhere that may sync here. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Merged into the config.json new devices are preset with (a county's rules, hotlines, …). */
  preset?: Record<string, unknown>;
  /** Sent with every page, the app and its worker (see server/csp.ts). */
  contentSecurityPolicy?: string;
  now?: () => number;
  /** True once the receiver is stopping: live streams end so their connections can close. */
  stopping?: () => boolean;
  /** A device not heard from for this many minutes is listed as silent (default 60). */
  silentAfterMinutes?: number;
}

/**
 * Headers every response carries: no sniffing, no referrer leaving the site, the policy, and
 * cross-origin isolation: no other site's window keeps a hold on the app's, and a no-cors request
 * (the probe of whether an endpoint is back) goes without credentials, so needs no header from
 * that endpoint. Browsers then time the page to 5 µs rather than 0.1 ms (see bench/).
 */
function securityHeaders(response: ServerResponse, policy: string | undefined) {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'same-origin');
  if (policy) response.setHeader('content-security-policy', policy);
  response.setHeader('cross-origin-opener-policy', 'same-origin');
  response.setHeader('cross-origin-embedder-policy', 'credentialless');
}

export function createReceiver(options: ReceiverOptions) {
  const { store, corsOrigins } = options;
  const now = options.now ?? Date.now;
  const access = guard(store);
  const { allowed } = access;
  // Each part answers the addresses it knows; the first that does answers.
  const parts = [
    deviceRoutes({ store, now, guard: access, bodyLimitBytes: options.bodyLimitBytes }),
    alertRoutes({ store, now, allowed, stopping: options.stopping ?? (() => false) }),
    fleetRoutes({
      store,
      now,
      allowed,
      silentAfterMs: (options.silentAfterMinutes ?? 60) * 60_000,
    }),
    isolationRoutes({ store, allowed }),
    reportRoutes({ store, now, guard: access, options }),
  ];
  const serveStatic = staticFiles(options.staticDir, options.preset);

  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://receiver');
    securityHeaders(response, options.contentSecurityPolicy);
    const origin = request.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader('access-control-expose-headers', 'Date, Retry-After');
    }
    try {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type, idempotency-key',
          'access-control-max-age': '600',
        });
        return void response.end();
      }
      for (const part of parts) if (await part(url, request, response)) return;
      if (url.pathname.startsWith('/api/'))
        throw new HttpError(request.method === 'GET' ? 404 : 405, 'no such API');
      if (request.method !== 'GET' && request.method !== 'HEAD')
        throw new HttpError(405, 'method not allowed');
      return await serveStatic(url, request, response);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error('receiver error', error);
      // After a 413 the rest of the body is not read: close the connection rather than drain it.
      send(
        response,
        status,
        { error: error instanceof Error ? error.message : 'error' },
        {
          ...(status === 413 && { connection: 'close' }),
          ...(error instanceof HttpError && error.headers),
        },
      );
    }
  };
}
