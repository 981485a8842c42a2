import * as z from 'zod/mini';
import type { RecordAnswer } from '../db/outbox';
import { PulledAlert } from '../domain/alerts';
import type { SyncSettings } from '../domain/config';
import type { Adapter, AdapterDeps, Outcome } from './adapter';
import { authorization, classifyFailure, parseJson, request, serverDate } from './http';

const Results = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      error: z.optional(z.string()),
    }),
  ),
});

/**
 * The native contract's success rule: a JSON body whose results cover every id sent. Anything else
 * (an HTML page answered 200 by a captive portal included) is not a success.
 */
export function readNativeResults(body: string, ids: string[]): RecordAnswer[] | undefined {
  const results = Results.safeParse(parseJson(body));
  if (!results.success) return undefined;
  const byId = new Map(results.data.results.map((result) => [result.id, result]));
  if (!ids.every((id) => byId.has(id))) return undefined;
  return ids.map((id) => {
    const result = byId.get(id) as (typeof results.data.results)[number];
    return result.status === 'rejected'
      ? { id, status: 'rejected', error: result.error ?? 'rejected' }
      : { id, status: result.status };
  });
}

const Revocations = z.object({
  revocations: z.array(
    z.object({
      passId: z.string(),
      reason: z.string(),
      revokedAt: z.number(),
      signed: z.optional(z.string()),
    }),
  ),
  next: z.int(),
});

const Alerts = z.object({ alerts: z.array(PulledAlert), next: z.int() });
const Configs = z.object({ configs: z.array(z.string()) });
const Isolations = z.object({ records: z.array(z.unknown()), next: z.int() });

/** What the receiver answers a gate's enrolment claim, and the office's request for a code. */
const Claimed = z.object({ token: z.string().check(z.minLength(1)) });
const Enrolment = z.object({ code: z.string().check(z.minLength(1)) });

const base = (endpoint: string) => endpoint.replace(/\/$/, '');

/** GET {endpoint}/{path}, read by a schema; undefined when the endpoint could not be asked. */
async function getJson<T>(
  settings: SyncSettings,
  path: string,
  schema: z.ZodMiniType<T>,
  deps: AdapterDeps,
): Promise<T | undefined> {
  const response = await request(
    deps.fetch,
    `${base(settings.endpoint)}/${path}`,
    { headers: authorization(settings.token) },
    settings.timeoutMs,
  );
  if ('kind' in response || !response.ok) return undefined;
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  return parsed.success ? parsed.data : undefined;
}

/** POST {endpoint}/batches with the batch's key, body frozen as first sent. */
export const nativeAdapter: Adapter = {
  async send(batch, settings, deps): Promise<Outcome> {
    const body = JSON.stringify({
      deviceId: batch.records[0]?.deviceId,
      batchId: batch.batchId,
      frozenAt: batch.frozenAt,
      records: batch.records,
    });
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': batch.batchId,
      ...authorization(settings.token),
    };
    const response = await request(
      deps.fetch,
      `${base(settings.endpoint)}/batches`,
      { method: 'POST', headers, body },
      settings.timeoutMs,
    );
    if ('kind' in response) return response;
    const failure = classifyFailure(response, deps.now());
    if (failure) return failure;
    const text = await response.text().catch(() => '');
    const answers = readNativeResults(
      text,
      batch.records.map((record) => record.id),
    );
    if (!answers)
      return {
        kind: 'backoff',
        problem: 'invalid-answer',
        status: response.status,
        serverDate: serverDate(response),
      };
    return { kind: 'answered', answers, serverDate: serverDate(response) };
  },

  async enrol(settings, code, deviceId, deps) {
    const response = await request(
      deps.fetch,
      `${base(settings.endpoint)}/enrolments/claim`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceId }),
      },
      settings.timeoutMs,
    );
    if ('kind' in response) return response;
    const failure = classifyFailure(response, deps.now());
    if (failure) return failure;
    const claimed = Claimed.safeParse(parseJson(await response.text().catch(() => '')));
    if (claimed.success) return { token: claimed.data.token };
    return { kind: 'backoff', problem: 'invalid-answer', status: response.status };
  },

  pullAlerts: (settings, cursor, deps) => getJson(settings, `alerts?since=${cursor}`, Alerts, deps),

  pullConfigs: async (settings, kids, deps) =>
    (await getJson(settings, `configs?kids=${kids.join(',')}`, Configs, deps))?.configs,

  async reportStatus(settings, report, deps) {
    await request(
      deps.fetch,
      `${base(settings.endpoint)}/devices/status`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization(settings.token) },
        body: JSON.stringify(report),
      },
      settings.timeoutMs,
    );
  },

  pullIsolations: (settings, cursor, deps) =>
    getJson(settings, `isolations?since=${cursor}`, Isolations, deps),

  pullRevocations: (settings, cursor, deps) =>
    getJson(settings, `revocations?since=${cursor}`, Revocations, deps),
};

/**
 * The office asks its receiver for a one-time code a new gate of `checkpointId` trades for a
 * token of its own (so the office's token never leaves the office). Undefined when the receiver
 * cannot be asked or refuses.
 */
export async function requestEnrolment(
  settings: SyncSettings,
  checkpointId: string,
  fetchFn: typeof fetch = fetch,
): Promise<string | undefined> {
  const response = await request(
    fetchFn,
    `${base(settings.endpoint)}/enrolments`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(settings.token) },
      body: JSON.stringify({ checkpointId }),
    },
    settings.timeoutMs,
  );
  if ('kind' in response || response.status !== 201) return undefined;
  const made = Enrolment.safeParse(parseJson(await response.text().catch(() => '')));
  return made.success ? made.data.code : undefined;
}

/** The office hands a signed configuration to its receiver, which serves it to the gates. */
export async function publishConfig(
  settings: SyncSettings,
  code: string,
  fetchFn: typeof fetch = fetch,
): Promise<boolean> {
  const response = await request(
    fetchFn,
    `${base(settings.endpoint)}/configs`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(settings.token) },
      body: JSON.stringify({ code }),
    },
    settings.timeoutMs,
  );
  return !('kind' in response) && response.status === 201;
}

const Devices = z.object({
  devices: z.array(
    z.object({
      deviceId: z.string(),
      checkpointId: z.string(),
      checkpointName: z.optional(z.string()),
      lastContact: z.number(),
      appVersion: z.string(),
      pending: z.number(),
      clockSkewMs: z.optional(z.number()),
      configAt: z.optional(z.number()),
      silent: z.boolean(),
    }),
  ),
  silentAfterMs: z.number(),
});
export type DeviceList = z.infer<typeof Devices>;

/** The office's gates as its receiver last heard from them; undefined when it cannot be asked. */
export function listDevices(
  settings: SyncSettings,
  fetchFn: typeof fetch = fetch,
): Promise<DeviceList | undefined> {
  return getJson(settings, 'devices', Devices, { fetch: fetchFn, now: Date.now });
}

/** The office stops a device: its tokens stop working at once (as lost: it wipes itself). */
export async function stopDevice(
  settings: SyncSettings,
  deviceId: string,
  lost: boolean,
  fetchFn: typeof fetch = fetch,
): Promise<boolean> {
  const response = await request(
    fetchFn,
    `${base(settings.endpoint)}/devices/${encodeURIComponent(deviceId)}/stop`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(settings.token) },
      body: JSON.stringify({ lost }),
    },
    settings.timeoutMs,
  );
  return !('kind' in response) && response.ok;
}

const Roster = z.object({
  roster: z.array(
    z.object({ name: z.string(), phone: z.string(), from: z.number(), to: z.number() }),
  ),
});
export type RosterEntry = z.infer<typeof Roster>['roster'][number];

/** Who is on duty for a place from now on, by the receiver's roster; undefined when not asked. */
export async function rosterOf(
  settings: SyncSettings,
  place: string,
  fetchFn: typeof fetch = fetch,
): Promise<RosterEntry[] | undefined> {
  const found = await getJson(settings, `roster?place=${encodeURIComponent(place)}`, Roster, {
    fetch: fetchFn,
    now: Date.now,
  });
  return found?.roster;
}

/** The office puts a person on duty for a place from–to (ms). */
export async function addToRoster(
  settings: SyncSettings,
  entry: RosterEntry & { place: string },
  fetchFn: typeof fetch = fetch,
): Promise<boolean> {
  const response = await request(
    fetchFn,
    `${base(settings.endpoint)}/roster`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(settings.token) },
      body: JSON.stringify(entry),
    },
    settings.timeoutMs,
  );
  return !('kind' in response) && response.status === 201;
}
