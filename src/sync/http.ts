import type { Outcome } from './adapter';
import { retryAfterMs } from './backoff';

/**
 * fetch that never follows redirects (a captive portal's login page is not the endpoint) and gives
 * up after timeoutMs; a network failure or timeout comes back as an outcome, not an exception.
 */
export async function request(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response | Extract<Outcome, { kind: 'backoff' }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetchFn(url, {
      ...init,
      redirect: 'manual',
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch {
    if (controller.signal.aborted) return { kind: 'backoff', problem: 'timeout' };
    // The request never got an answer: the phone has no network, or the server does not answer.
    const online = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine;
    return { kind: 'backoff', problem: online === false ? 'offline' : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether anything answers at the address (a HEAD whose answer, any status, is not read, so the
 * endpoint's CORS does not matter): a few hundred bytes to see an endpoint come back.
 */
export async function answers(fetchFn: typeof fetch, url: string, timeoutMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await fetchFn(url, {
      method: 'HEAD',
      mode: 'no-cors',
      cache: 'no-store',
      signal: controller.signal,
    });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function serverDate(response: Response): number | undefined {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? undefined : date;
}

/**
 * The outcome of an answer that is not a success, by the status table every adapter shares;
 * undefined for a 2xx, which each adapter judges by its own success rule.
 */
export function classifyFailure(response: Response, now: number): Outcome | undefined {
  const { status } = response;
  const date = serverDate(response);
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    return { kind: 'backoff', problem: 'redirect', status, serverDate: date };
  }
  if (status >= 200 && status < 300) return undefined;
  if (status === 400 || status === 422)
    return { kind: 'split', status, error: `HTTP ${status}`, serverDate: date };
  if (status === 413) return { kind: 'too-large', status, serverDate: date };
  if (status === 409) return { kind: 'later', problem: 'busy', status, serverDate: date };
  if (status === 429 || status === 503) {
    return {
      kind: 'later',
      problem: 'rate-limited',
      status,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now),
      serverDate: date,
    };
  }
  if (status === 401) return { kind: 'pause', problem: 'unauthorized', status, serverDate: date };
  if (status === 410) {
    const lost = response.headers.get('x-kadian-device') === 'lost';
    return { kind: 'pause', problem: lost ? 'lost' : 'revoked', status, serverDate: date };
  }
  if (status === 403 || status === 404 || status === 405) {
    return { kind: 'pause', problem: 'configuration', status, serverDate: date };
  }
  return { kind: 'backoff', problem: 'server-error', status, serverDate: date };
}

/** The Authorization header for a token: "user:password" as Basic (CouchDB), anything else as Bearer. */
export function authorization(token: string | undefined): Record<string, string> {
  if (!token) return {};
  return { authorization: token.includes(':') ? `Basic ${btoa(token)}` : `Bearer ${token}` };
}

const REASON_LIMIT = 200;

/**
 * The endpoint's own reason for refusing a request: the JSON body's `error` or `message`, or a
 * short plain-text body, after the status; an HTML page or a long body is left out.
 */
export async function refusalReason(response: Response): Promise<string> {
  const body = (await response.text().catch(() => '')).trim();
  const json = parseJson(body) as { error?: unknown; message?: unknown } | undefined;
  const said = [json?.error, json?.message].find((value) => typeof value === 'string');
  const reason =
    typeof said === 'string'
      ? said
      : json === undefined && !body.startsWith('<') && body.length <= REASON_LIMIT
        ? body
        : '';
  const status = `HTTP ${response.status}`;
  return reason ? `${status}: ${reason.slice(0, REASON_LIMIT)}` : status;
}

/** JSON.parse that answers undefined instead of throwing: an endpoint's body is not trusted. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
