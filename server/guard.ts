// Who is asking, over HTTP: the request's token (a bearer token, or a browser login's password)
// to its principal, checked against what the request asks to do. See access.ts for the table.
import type { IncomingMessage } from 'node:http';
import { type Action, may, OPEN, type Principal } from './access';
import { HttpError } from './http';
import { type Store, sha256 } from './store';

/** The request's token: `Authorization: Bearer`, or the password of a browser's login. */
function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  const basic = /^Basic (.+)$/.exec(header)?.[1];
  const login = basic && Buffer.from(basic, 'base64').toString('utf8');
  return login ? login.slice(login.indexOf(':') + 1) : /^Bearer (.+)$/.exec(header)?.[1];
}

const LOGIN = { 'www-authenticate': 'Basic realm="Kadian viewer", charset="UTF-8"' };

export type Guard = ReturnType<typeof guard>;

export function guard(store: Store) {
  /** 410 for a token of a device the office stopped (with a header when written off as lost). */
  async function stoppedDevice(token: string | undefined) {
    const stopped = token ? await store.fleet.stoppedFor(sha256(token)) : undefined;
    if (stopped)
      throw new HttpError(
        410,
        stopped.lost
          ? 'the office wrote this device off as lost: it wipes itself'
          : 'the office stopped this device: hand it to the office with what it has not sent',
        stopped.lost ? { 'x-kadian-device': 'lost' } : {},
      );
  }

  /** The holder of the request's token; 401 when it is missing or unknown (or revoked). */
  async function identify(request: IncomingMessage, page: boolean): Promise<Principal> {
    if (await store.isOpen()) return OPEN;
    const token = tokenOf(request);
    const principal = token ? await store.principal(token) : undefined;
    if (principal) return principal;
    await stoppedDevice(token);
    throw new HttpError(401, 'a valid token is needed', page ? LOGIN : {});
  }

  /** The holder of the request's token, if it may do one of `actions` (403 when it may not). */
  async function allowed(
    request: IncomingMessage,
    page: boolean,
    actions: Action[],
  ): Promise<Principal> {
    const principal = await identify(request, page);
    if (actions.some((action) => may(principal, action))) return principal;
    throw new HttpError(403, `this token may not ${actions.join(' or ')}`);
  }

  /** The holder of the request's token, if it may do `action` (401 otherwise). */
  async function authorize(
    request: IncomingMessage,
    action: Action,
    { page = false }: { page?: boolean } = {},
  ): Promise<Principal> {
    if (await store.isOpen()) return OPEN;
    const token = tokenOf(request);
    const principal = token ? await store.principal(token) : undefined;
    if (principal && may(principal, action)) return principal;
    if (!principal) await stoppedDevice(token);
    throw new HttpError(401, `a valid token that may ${action} is needed`, page ? LOGIN : {});
  }

  /**
   * An uploading device as its token knows it. A device token made before tokens were bound is
   * bound now, to the first device that uses it; another device presenting it is refused (403).
   */
  async function uploader(
    request: IncomingMessage,
    deviceId: string,
    checkpointId?: string,
  ): Promise<Principal> {
    const principal = await authorize(request, 'upload');
    if (principal.role !== 'device') return principal;
    if (principal.deviceId === undefined) {
      const token = tokenOf(request) ?? '';
      await store.bindToken(token, deviceId, checkpointId);
      return (await store.principal(token)) ?? principal;
    }
    if (principal.deviceId !== deviceId)
      throw new HttpError(
        403,
        'this token belongs to another device: set this device up again with a new setup code from the office',
      );
    return principal;
  }

  return { allowed, authorize, uploader };
}
