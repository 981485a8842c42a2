// The reference receiver's HTTP side: the native batch contract, revocations, CORS for configured
// origins, and the built app on the same origin. Bodies are size-limited before they are parsed.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isExists } from 'date-fns';
import * as z from 'zod/mini';
import { deadlineOf, type IsolationSettings, type Quota } from '../src/domain/config';
import { DAY_MS, dayBounds, localDay } from '../src/domain/day';
import { identifier } from '../src/domain/fields';
import { DEFAULT_ISOLATION } from '../src/domain/isolation';
import { quotaFlags } from '../src/domain/quota-flags';
import { openFevers, type RollUp, rollUp } from '../src/domain/roll-up';
import { type Action, may, OPEN, type Principal, refusalOf } from './access';
import { alertRoutes } from './alert-routes';
import { fleetRoutes } from './fleet-routes';
import { decoded, HttpError, jsonOf, readBody, send, sendPage } from './http';
import { isolationRoutes } from './isolation-routes';
import {
  ALERTS_SCRIPT,
  alertsPage,
  auditPage,
  flagsPage,
  PAGE_CSS,
  rollUpPage,
  visitorsPage,
} from './pages';
import { type Checked, type Store, sha256 } from './store';
import { validate } from './validate';
import { openWithDataKey } from './visitors';

export interface ReceiverOptions {
  store: Store;
  /** The built app (dist/), served on the same origin; none to serve only the API. */
  staticDir?: string;
  /** Origins of apps hosted elsewhere that may sync here. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Merged into the config.json new devices are preset with (a county's rules, hotlines, …). */
  preset?: Record<string, unknown>;
  /** The county's outing quota, against which the gates' exits are checked together. */
  quota?: Quota;
  /** Sent with every page, the app and its worker (see server/csp.ts). */
  contentSecurityPolicy?: string;
  now?: () => number;
  /** True once the receiver is stopping: live streams end so their connections can close. */
  stopping?: () => boolean;
  /** A device not heard from for this many minutes is listed as silent (default 60). */
  silentAfterMinutes?: number;
  /** The daily report's deadline, "HH:MM": the roll-up tells late reports, duty pages the missing. */
  reportDeadline?: string;
  /** Home isolation's settings (the county's preset): the cutoff after which a household missed. */
  isolation?: IsolationSettings;
}

const BatchEnvelope = z.object({
  deviceId: z.string().check(z.minLength(1), z.maxLength(64)),
  batchId: z.string().check(z.minLength(1), z.maxLength(128)),
  frozenAt: z.number(),
  records: z.array(z.unknown()),
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

/** Headers every response carries: no sniffing, no referrer leaving the site, and the policy. */
function securityHeaders(response: ServerResponse, policy: string | undefined) {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'same-origin');
  if (policy) response.setHeader('content-security-policy', policy);
}

/**
 * The most records one batch may carry (the app sends at most this many). A body within the byte
 * limit could otherwise hold millions of tiny records, each validated, stored and answered.
 */
export const MAX_BATCH_RECORDS = 1000;

/** Reports made up to this many days after their day are counted. */
const REPORT_LATE_DAYS = 14;
/** Fevers of this many days up to the day asked for are looked at for being still open. */
const OPEN_FEVER_DAYS = 14;

/** A preset pointing new devices at this receiver, as reached (behind a TLS proxy: X-Forwarded-Proto). */
function defaultPreset(request: IncomingMessage, preset: Record<string, unknown> = {}) {
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  const protocol =
    (request.headers['x-forwarded-proto'] as string | undefined) ?? (encrypted ? 'https' : 'http');
  const endpoint = `${protocol}://${request.headers.host}/api/v1`;
  return { ...preset, sync: { endpoint, adapter: 'native', ...(preset.sync as object) } };
}

/** The request's token: `Authorization: Bearer`, or the password of a browser's login. */
function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  const basic = /^Basic (.+)$/.exec(header)?.[1];
  const login = basic && Buffer.from(basic, 'base64').toString('utf8');
  return login ? login.slice(login.indexOf(':') + 1) : /^Bearer (.+)$/.exec(header)?.[1];
}

/** Enrolment codes are valid this many days unless the office says otherwise. */
const ENROLMENT_DAYS = 7;
const EnrolmentRequest = z.object({
  checkpointId: identifier,
  validDays: z.optional(z.int().check(z.minimum(1), z.maximum(30))),
});
const EnrolmentClaim = z.object({ code: z.string().check(z.maxLength(100)), deviceId: identifier });

/** A valid record the token's holder may not store becomes a refusal, with the reason. */
function permitted(principal: Principal, checked: Checked): Checked {
  if (!('record' in checked)) return checked;
  const refusal = refusalOf(principal, checked.record);
  return refusal ? { id: checked.record.id, error: refusal } : checked;
}

export function createReceiver(options: ReceiverOptions) {
  const { store, corsOrigins, bodyLimitBytes } = options;
  const now = options.now ?? Date.now;

  /** 410 for a token of a device the office stopped (with a header when written off as lost). */
  function stoppedDevice(token: string | undefined) {
    const stopped = token ? store.fleet.stoppedFor(sha256(token)) : undefined;
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
  function identify(request: IncomingMessage, page: boolean): Principal {
    if (store.isOpen()) return OPEN;
    const token = tokenOf(request);
    const principal = token ? store.principal(token) : undefined;
    if (principal) return principal;
    stoppedDevice(token);
    throw new HttpError(
      401,
      'a valid token is needed',
      page ? { 'www-authenticate': 'Basic realm="Kadian viewer", charset="UTF-8"' } : {},
    );
  }

  /** The holder of the request's token, if it may do one of `actions` (403 when it may not). */
  function allowed(request: IncomingMessage, page: boolean, actions: Action[]): Principal {
    const principal = identify(request, page);
    if (actions.some((action) => may(principal, action))) return principal;
    throw new HttpError(403, `this token may not ${actions.join(' or ')}`);
  }

  const alerts = alertRoutes({
    store,
    now,
    allowed,
    stopping: options.stopping ?? (() => false),
  });

  const fleet = fleetRoutes({
    store,
    now,
    allowed,
    silentAfterMs: (options.silentAfterMinutes ?? 60) * 60_000,
  });

  const isolations = isolationRoutes({ store, allowed });

  /** The holder of the request's token, if it may do `action` (one check for every route). */
  function authorize(
    request: IncomingMessage,
    action: Action,
    { page = false }: { page?: boolean } = {},
  ): Principal {
    if (store.isOpen()) return OPEN;
    const token = tokenOf(request);
    const principal = token ? store.principal(token) : undefined;
    if (principal && may(principal, action)) return principal;
    if (!principal) stoppedDevice(token);
    throw new HttpError(
      401,
      `a valid token that may ${action} is needed`,
      page ? { 'www-authenticate': 'Basic realm="Kadian viewer", charset="UTF-8"' } : {},
    );
  }

  /**
   * An uploading device as its token knows it. A device token made before tokens were bound is
   * bound now, to the first device that uses it; another device presenting it is refused (403).
   */
  function uploader(request: IncomingMessage, deviceId: string, checkpointId?: string): Principal {
    const principal = authorize(request, 'upload');
    if (principal.role !== 'device') return principal;
    if (principal.deviceId === undefined) {
      const token = tokenOf(request) ?? '';
      store.bindToken(token, deviceId, checkpointId);
      return store.principal(token) ?? principal;
    }
    if (principal.deviceId !== deviceId)
      throw new HttpError(
        403,
        'this token belongs to another device: set this device up again with a new setup code from the office',
      );
    return principal;
  }

  /** The day asked for: YYYY-MM-DD, today (the receiver's time zone) when absent. */
  function dayParam(url: URL): string {
    const date = url.searchParams.get('date') ?? localDay(now());
    const [year, month, day] = date.split('-').map(Number);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isExists(year ?? 0, (month ?? 0) - 1, day ?? 0))
      throw new HttpError(400, 'date must be a day such as 2026-11-29');
    return date;
  }

  /** A day's visitors; posted with the data key file and passphrase, with the numbers opened. */
  async function visitors(
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
    principal: Principal,
  ) {
    const date = dayParam(url);
    const [start, end] = dayBounds(date);
    const shown = visible(principal);
    const records = store
      .recordsOfKinds(['visitor-in'], start, end)
      .filter((record) => shown(record.checkpointId));
    if (request.method !== 'POST') return sendPage(response, visitorsPage(date, records));
    const form = await new Request('http://receiver/', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body: await readBody(request, 64 * 1024),
    })
      .formData()
      .catch(() => {
        throw new HttpError(400, 'a form with the data key file and its passphrase is expected');
      });
    const file = form.get('keyFile');
    const opening = await openWithDataKey(
      records,
      typeof file === 'object' && file ? await file.text() : '',
      String(form.get('passphrase') ?? ''),
    );
    if (opening.ok)
      store.audit.record({
        at: now(),
        actor: principal.label,
        action: 'personal-data-opened',
        subject: `visitors ${date}`,
        detail: `${opening.opened} visitors, data key ${opening.kid}`,
      });
    return sendPage(response, visitorsPage(date, opening.ok ? opening.records : records, opening));
  }

  /** The quota flags of a day: those whose exit was at a gate the viewer may see. */
  function flagsOf(url: URL, principal: Principal) {
    const date = dayParam(url);
    const quota = options.quota;
    if (!quota) return { date, quota, flags: [] };
    const [start, end] = dayBounds(date);
    const exits = store.allowedExits(start - quota.days * DAY_MS, end);
    const shown = visible(principal);
    return {
      date,
      quota,
      flags: quotaFlags(exits, quota).filter(
        (flag) => flag.date === date && shown(flag.exit.checkpointId),
      ),
    };
  }

  /** The county's own viewers (a county's place, or none): the audit log is theirs to read. */
  function countyOnly(request: IncomingMessage, page: boolean): Principal {
    const principal = authorize(request, 'read-reports', { page });
    const scope = principal.scope;
    if (scope !== undefined && !store.knownCheckpoints().some((c) => c.county === scope))
      throw new HttpError(403, 'the audit log is read by the county');
    return principal;
  }

  /** The checkpoints a viewer may see: those under its place in the chain, as the registry says. */
  function visible(principal: Principal): (checkpointId: string) => boolean {
    const scope = principal.scope;
    if (scope === undefined) return () => true;
    const ids = new Set(
      store
        .knownCheckpoints()
        .filter((checkpoint) =>
          [checkpoint.county, checkpoint.township, checkpoint.community].includes(scope),
        )
        .map((checkpoint) => checkpoint.id),
    );
    return (checkpointId) => ids.has(checkpointId);
  }

  /** The chain's totals for a day, who has not reported, and the fevers still open at its end. */
  function rollUpOf(url: URL, principal: Principal): RollUp {
    const date = dayParam(url);
    const [start, end] = dayBounds(date);
    // A day's report is made that evening or within the next days.
    const reports = store.recordsOfKinds(
      ['daily-report'],
      start,
      start + REPORT_LATE_DAYS * DAY_MS,
    );
    const fevers = store.feverLane(start - (OPEN_FEVER_DAYS - 1) * DAY_MS, end);
    const dailyReports = reports.filter((record) => record.kind === 'daily-report');
    return rollUp(
      date,
      store.knownCheckpoints(),
      dailyReports,
      openFevers(date, fevers),
      store.voidedAmong(dailyReports.map((report) => report.id)),
      {
        scope: principal.scope,
        deadline: options.reportDeadline,
        alerts: {
          samples: store.alerts.alertsBetween(start, end, 'all').flatMap((alert) =>
            alert.voided
              ? []
              : [
                  {
                    checkpointId: alert.checkpointId,
                    receivedAt: alert.receivedAt,
                    ...(alert.taken && { takenAt: alert.taken.at }),
                  },
                ],
          ),
          now: now(),
        },
        isolation: {
          isolations: store.isolations.all(),
          now: now(),
          rules: options.isolation ?? DEFAULT_ISOLATION,
        },
      },
    );
  }

  /**
   * Once today's deadline has passed, the checkpoints of the principal's place that have not
   * reported: the duty page lists them with a cue.
   */
  function missingReports(principal: Principal) {
    const date = localDay(now());
    const deadline = options.reportDeadline ?? '20:00';
    const due = now() >= deadlineOf(date, deadline);
    const day = rollUpOf(new URL(`http://receiver/?date=${date}`), principal);
    return {
      date,
      deadline,
      due,
      checkpoints: due
        ? day.missing.map(({ id, name, courtyard }) => ({ id, name, courtyard }))
        : [],
    };
  }

  async function postBatch(request: IncomingMessage, response: ServerResponse) {
    authorize(request, 'upload');
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '')
      throw new HttpError(400, 'Idempotency-Key header missing');
    const body = await readBody(request, bodyLimitBytes);
    const answered = store.answeredBatch(key);
    if (answered) {
      // A retry of a batch already committed: the same answer; a different body under the key is refused.
      if (answered.bodyHash !== sha256(body))
        throw new HttpError(422, 'this Idempotency-Key came with another body');
      return send(response, 200, { results: answered.results });
    }
    const envelope = BatchEnvelope.safeParse(jsonOf(body));
    if (!envelope.success)
      throw new HttpError(400, 'body is not a batch {deviceId, batchId, frozenAt, records}');
    if (envelope.data.batchId !== key)
      throw new HttpError(400, 'batchId differs from Idempotency-Key');
    // 413, as for too many bytes: the app halves the batch and sends the halves.
    if (envelope.data.records.length > MAX_BATCH_RECORDS)
      throw new HttpError(413, `a batch holds at most ${MAX_BATCH_RECORDS} records`, {
        connection: 'close',
      });
    const checked = envelope.data.records.map(validate);
    const first = checked.find((item) => 'record' in item);
    const principal = uploader(
      request,
      envelope.data.deviceId,
      first && 'record' in first ? first.record.checkpointId : undefined,
    );
    const results = store.commitBatch(
      key,
      body,
      envelope.data.deviceId,
      checked.map((item) => permitted(principal, item)),
      now(),
    );
    send(response, 200, { results });
  }

  /** The plain contract: one record per POST; 201 when stored, 409 when its id is known. */
  async function postRecord(request: IncomingMessage, response: ServerResponse) {
    authorize(request, 'upload');
    const valid = validate(jsonOf(await readBody(request, bodyLimitBytes)));
    if (!('record' in valid)) throw new HttpError(422, valid.error);
    const { deviceId, checkpointId } = valid.record;
    const checked = permitted(uploader(request, deviceId, checkpointId), valid);
    if (!('record' in checked)) throw new HttpError(403, checked.error);
    const status = store.insertRecord(checked.record, now());
    send(response, status === 'accepted' ? 201 : 409, { id: checked.record.id, status });
  }

  function getRecord(id: string, request: IncomingMessage, response: ServerResponse) {
    authorize(request, 'upload');
    const body = store.findRecord(id);
    if (body === undefined) throw new HttpError(404, 'no such record');
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(body);
  }

  function getRevocations(url: URL, request: IncomingMessage, response: ServerResponse) {
    authorize(request, 'upload');
    const since = Number(url.searchParams.get('since') ?? 0);
    if (!Number.isInteger(since) || since < 0)
      throw new HttpError(400, 'since must be a cursor (0 at first)');
    send(response, 200, store.revocationsSince(since, 1000));
  }

  /** The office makes a one-time code a new gate of a checkpoint trades for its own token. */
  async function postEnrolment(request: IncomingMessage, response: ServerResponse) {
    const office = authorize(request, 'enrol-devices');
    const asked = EnrolmentRequest.safeParse(jsonOf(await readBody(request, 4096)));
    if (!asked.success)
      throw new HttpError(400, 'body must be {checkpointId, validDays?} (validDays 1 to 30)');
    const expiresAt = now() + (asked.data.validDays ?? ENROLMENT_DAYS) * DAY_MS;
    const code = store.createEnrolment(asked.data.checkpointId, office.label, expiresAt, now());
    send(response, 201, { code, checkpointId: asked.data.checkpointId, expiresAt });
  }

  /** A new gate trades its enrolment code for a token bound to it and the code's checkpoint. */
  async function claimEnrolment(request: IncomingMessage, response: ServerResponse) {
    const claim = EnrolmentClaim.safeParse(jsonOf(await readBody(request, 4096)));
    if (!claim.success) throw new HttpError(400, 'body must be {code, deviceId}');
    const claimed = store.claimEnrolment(claim.data.code, claim.data.deviceId, now());
    if (!claimed)
      throw new HttpError(
        401,
        'this enrolment code is unknown, used or expired: ask the office for a new setup code',
      );
    send(response, 201, claimed);
  }

  async function serveStatic(url: URL, request: IncomingMessage, response: ServerResponse) {
    if (!options.staticDir) throw new HttpError(404, 'not found');
    const root = resolve(options.staticDir);
    const path = normalize(decoded(url.pathname));
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (!file.startsWith(`${root}${sep}`)) throw new HttpError(404, 'not found');
    let content: Buffer;
    let served = file;
    try {
      content = await readFile(file);
    } catch {
      // Without a county's own config.json, new devices are preset to sync here.
      if (path === '/config.json')
        return send(response, 200, defaultPreset(request, options.preset));
      // An app route (no file extension) gets the shell; a missing asset is a real 404.
      if (extname(path) !== '') throw new HttpError(404, 'not found');
      served = join(root, 'index.html');
      content = await readFile(served);
    }
    const immutable = served.startsWith(join(root, 'assets', sep));
    response.writeHead(200, {
      'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
      // Hashed assets never change; the shell and the worker must be checked on every load.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(content);
  }

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
      if (url.pathname === '/api/v1/batches' && request.method === 'POST')
        return await postBatch(request, response);
      if (url.pathname === '/api/v1/records' && request.method === 'POST')
        return await postRecord(request, response);
      const recordPath = /^\/api\/v1\/records\/([^/]+)$/.exec(url.pathname);
      if (recordPath?.[1] && request.method === 'GET') {
        return getRecord(decoded(recordPath[1]), request, response);
      }
      if (url.pathname === '/api/v1/revocations' && request.method === 'GET') {
        return getRevocations(url, request, response);
      }
      if (url.pathname === '/api/v1/enrolments' && request.method === 'POST')
        return await postEnrolment(request, response);
      if (url.pathname === '/api/v1/enrolments/claim' && request.method === 'POST')
        return await claimEnrolment(request, response);
      if (url.pathname === '/api/v1/flags' && request.method === 'GET') {
        const { date, quota, flags } = flagsOf(url, authorize(request, 'read-reports'));
        return send(response, 200, { date, quota: quota ?? null, flags });
      }
      if (url.pathname === '/api/v1/reports/daily' && request.method === 'GET') {
        return send(response, 200, rollUpOf(url, authorize(request, 'read-reports')));
      }
      if (url.pathname === '/view/daily' && request.method === 'GET') {
        const principal = authorize(request, 'read-reports', { page: true });
        return sendPage(response, rollUpPage(rollUpOf(url, principal)));
      }
      if (url.pathname === '/view/visitors' && ['GET', 'POST'].includes(request.method ?? '')) {
        const principal = authorize(request, 'read-reports', { page: true });
        return await visitors(url, request, response, principal);
      }
      if (url.pathname === '/view/alerts/missing' && request.method === 'GET') {
        const principal = authorize(request, 'read-reports', { page: true });
        return send(response, 200, missingReports(principal));
      }
      if (await alerts(url, request, response)) return;
      if (await fleet(url, request, response)) return;
      if (isolations(url, request, response)) return;
      if (url.pathname === '/view/alerts' && request.method === 'GET') {
        authorize(request, 'read-reports', { page: true });
        return sendPage(response, alertsPage());
      }
      if (url.pathname === '/view/alerts.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        return void response.end(ALERTS_SCRIPT);
      }
      if (url.pathname === '/api/v1/audit' && request.method === 'GET') {
        countyOnly(request, false);
        return send(response, 200, { entries: store.audit.entries() });
      }
      if (url.pathname === '/view/audit' && request.method === 'GET') {
        countyOnly(request, true);
        return sendPage(response, auditPage(store.audit.entries()));
      }
      if (url.pathname === '/view/page.css') {
        response.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
        return void response.end(PAGE_CSS);
      }
      if (url.pathname === '/view/flags' && request.method === 'GET') {
        const principal = authorize(request, 'read-reports', { page: true });
        const { date, quota, flags } = flagsOf(url, principal);
        return sendPage(response, flagsPage(date, quota, flags));
      }
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
