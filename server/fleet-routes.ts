// The office running its gates over HTTP: devices report themselves with each sync, the office and
// the duty pages list them (those silent too long first), and the office publishes signed
// configurations that gates pull. See docs/receiver.md ("Devices", "Pushed configurations").
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { PhoneNumber } from '../src/domain/config';
import { readConfig } from '../src/domain/config-code';
import { DeviceStatus } from '../src/domain/device-status';
import type { Action, Principal } from './access';
import type { DeviceRow } from './fleet-store';
import { decoded, HttpError, jsonOf, readBody, send, sendPage } from './http';
import { devicesPage } from './pages';
import type { Store } from './store';

const RosterEntry = z.strictObject({
  place: z.string().check(z.minLength(1), z.maxLength(50)),
  name: z.string().check(z.minLength(1), z.maxLength(50)),
  phone: PhoneNumber,
  from: z.int(),
  to: z.int(),
});

export interface FleetRoutesOptions {
  store: Store;
  now: () => number;
  /** The holder of the request's token, if it may do one of `actions` (401 or 403 otherwise). */
  allowed: (request: IncomingMessage, page: boolean, actions: Action[]) => Promise<Principal>;
  /** A device not heard from for this long is listed as silent. */
  silentAfterMs: number;
}

export function fleetRoutes({ store, now, allowed, silentAfterMs }: FleetRoutesOptions) {
  /** The devices of the principal's place, silent ones first. */
  async function devices(principal: Principal) {
    const at = now();
    const silent = (device: DeviceRow) => at - device.lastContact > silentAfterMs;
    const list = (await store.fleet.devices(principal.scope))
      .map((device) => ({ ...device, silent: silent(device) }))
      .sort((a, b) => Number(b.silent) - Number(a.silent) || a.lastContact - b.lastContact);
    return { devices: list, silentAfterMs, now: at };
  }

  /** Handles a fleet route; false when the address is not one. */
  return async function route(
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    const { pathname } = url;
    const method = request.method;
    if (pathname === '/api/v1/devices/status' && method === 'POST') {
      const principal = await allowed(request, false, ['upload']);
      const report = DeviceStatus.safeParse(jsonOf(await readBody(request, 4096)));
      if (!report.success)
        throw new HttpError(
          400,
          'body must be {deviceId, checkpointId, appVersion, pending, clockSkewMs?, configAt?}',
        );
      if (
        principal.role === 'device' &&
        principal.deviceId !== undefined &&
        principal.deviceId !== report.data.deviceId
      )
        throw new HttpError(403, `this token belongs to device ${principal.deviceId}`);
      await store.fleet.report(report.data, now());
      response.writeHead(204).end();
      return true;
    }
    if (pathname === '/api/v1/devices' && method === 'GET') {
      send(
        response,
        200,
        await devices(await allowed(request, false, ['run-gates', 'read-reports'])),
      );
      return true;
    }
    if (pathname === '/view/devices' && method === 'GET') {
      sendPage(
        response,
        devicesPage(await devices(await allowed(request, true, ['read-reports']))),
      );
      return true;
    }
    const stopping = /^\/api\/v1\/devices\/([^/]+)\/stop$/.exec(pathname);
    if (stopping?.[1] && method === 'POST') {
      const office = await allowed(request, false, ['run-gates']);
      const body = jsonOf(await readBody(request, 1024)) as { lost?: unknown };
      const deviceId = decoded(stopping[1]);
      const lost = body?.lost === true;
      const tokens = await store.fleet.stop(deviceId, lost, office.label, now());
      await store.audit.record({
        at: now(),
        actor: office.label,
        action: 'token-revoked',
        subject: deviceId,
        detail: lost ? 'device stopped: lost, not recoverable' : 'device stopped',
      });
      send(response, 200, { deviceId, tokensRevoked: tokens, lost });
      return true;
    }
    if (pathname === '/api/v1/roster' && method === 'POST') {
      const office = await allowed(request, false, ['run-gates']);
      const entry = RosterEntry.safeParse(jsonOf(await readBody(request, 4096)));
      if (!entry.success || entry.data.to <= entry.data.from)
        throw new HttpError(
          400,
          'body must be {place, name, phone, from, to} with from before to (ms)',
        );
      const id = await store.fleet.addToRoster(entry.data, office.label);
      await store.audit.record({
        at: now(),
        actor: office.label,
        action: 'roster-changed',
        subject: entry.data.place,
        detail: `${entry.data.name} ${new Date(entry.data.from).toISOString()} – ${new Date(entry.data.to).toISOString()}`,
      });
      send(response, 201, { id });
      return true;
    }
    if (pathname === '/api/v1/roster' && method === 'GET') {
      await allowed(request, false, ['run-gates', 'read-reports', 'upload']);
      const place = url.searchParams.get('place') ?? '';
      send(response, 200, { roster: await store.fleet.roster(place, now()) });
      return true;
    }
    if (pathname === '/api/v1/configs' && method === 'POST') {
      const office = await allowed(request, false, ['run-gates']);
      const body = jsonOf(await readBody(request, 16 * 1024)) as { code?: unknown };
      const read = typeof body?.code === 'string' ? readConfig(body.code) : undefined;
      if (!read) throw new HttpError(400, 'body must be {code}: a KDC1 configuration code');
      await store.fleet.publishConfig(
        read.payload.kid,
        read.payload.at,
        (body.code as string).trim(),
        office.label,
        now(),
      );
      await store.audit.record({
        at: now(),
        actor: office.label,
        action: 'config-published',
        subject: read.payload.kid,
        detail: new Date(read.payload.at).toISOString(),
      });
      send(response, 201, { kid: read.payload.kid, at: read.payload.at });
      return true;
    }
    if (pathname === '/api/v1/configs' && method === 'GET') {
      await allowed(request, false, ['upload']);
      const kids = (url.searchParams.get('kids') ?? '')
        .split(',')
        .filter((kid) => /^[0-9a-f]{8}$/.test(kid));
      send(response, 200, { configs: await store.fleet.latestConfigs(kids.slice(0, 20)) });
      return true;
    }
    return false;
  };
}
