// Fever alerts over HTTP: the list and the changes since an event (gates and duty pages), the live
// event stream (Server-Sent Events, replayed from the event table by Last-Event-ID), and a person
// on duty taking an alert and closing it. The same routes serve the JSON API under /api/v1 (a
// bearer token) and the duty page under /view (the browser's login, and a header a cross-site
// form cannot send).
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import type { AlertState } from '../src/domain/alerts';
import { PhoneNumber } from '../src/domain/config';
import { uuidV7Generator } from '../src/domain/ids';
import { ALERT_OUTCOMES, type AlertOutcome, type KadianRecord } from '../src/domain/records';
import { type Action, may, OPEN, type Principal } from './access';
import type { AlertScope } from './alert-store';
import { decoded, HttpError, jsonOf, readBody, send } from './http';
import type { Checked, Store } from './store';
import { validate } from './validate';

/**
 * A live stream reads new events when told of a commit, and looks anyway this often (ms): a
 * writer the notices do not reach (the import command on the same file) is seen within it.
 */
const LOOK_AGAIN_MS = 1000;
/** A quiet stream sends a comment this often (ms), so proxies keep it open. */
const KEEPALIVE_MS = 15_000;
/** Alerts a list shows: those received in the last day. */
const LIST_MS = 24 * 60 * 60 * 1000;

const nextRecordId = uuidV7Generator((bytes) => crypto.getRandomValues(bytes));

const Person = {
  name: z.string().check(z.minLength(1), z.maxLength(50)),
  phone: z.optional(PhoneNumber),
};
const Take = z.strictObject(Person);
const Close = z.strictObject({
  name: Person.name,
  outcome: z.enum(ALERT_OUTCOMES),
  note: z.optional(z.string().check(z.maxLength(500))),
});

export interface AlertRoutesOptions {
  store: Store;
  now: () => number;
  /** The holder of the request's token, if it may do one of `actions` (401 or 403 otherwise). */
  allowed: (request: IncomingMessage, page: boolean, actions: Action[]) => Promise<Principal>;
  /** True once the receiver is stopping: live streams end so their connections can close. */
  stopping: () => boolean;
}

/** Whose alerts a principal sees: a gate its checkpoint's, a person on duty their place's. */
function scopeOf(principal: Principal): AlertScope {
  if (principal === OPEN || principal.role === 'office') return 'all';
  if (principal.role === 'device') return { checkpointId: principal.checkpointId ?? '' };
  return principal.scope ? { place: principal.scope } : 'all';
}

export function alertRoutes({ store, now, allowed, stopping }: AlertRoutesOptions) {
  /**
   * The alert with who is on duty now at each level of its place, by the roster; `asked` keeps
   * the places already looked up for the other alerts of the same answer.
   */
  async function withDuty(
    alert: AlertState,
    asked = new Map<string, Promise<{ name: string; phone: string } | undefined>>(),
  ): Promise<AlertState> {
    const at = now();
    const dutyAt = (place: string | undefined) => {
      if (place === undefined) return undefined;
      let person = asked.get(place);
      if (!person) {
        person = store.fleet.onDuty(place, at);
        asked.set(place, person);
      }
      return person;
    };
    const onDuty = Object.fromEntries(
      (
        await Promise.all(
          (['community', 'township', 'county'] as const).map(
            async (level) => [level, await dutyAt(alert.place[level])] as const,
          ),
        )
      ).filter(([, person]) => person !== undefined),
    );
    return Object.keys(onDuty).length ? { ...alert, onDuty } : alert;
  }

  /** Each alert with who is on duty for it (each place looked up once). */
  function withDutyAll(alerts: AlertState[]): Promise<AlertState[]> {
    const asked = new Map<string, Promise<{ name: string; phone: string } | undefined>>();
    return Promise.all(alerts.map((alert) => withDuty(alert, asked)));
  }

  /** The alerts of the last day, or those changed after event `since`; and where to read on. */
  async function list(url: URL, principal: Principal) {
    const scope = scopeOf(principal);
    const since = url.searchParams.get('since');
    const at = now();
    if (since === null) {
      const next = await store.alerts.lastEvent();
      const alerts = await store.alerts.alertsBetween(at - LIST_MS, at, scope);
      return { alerts: await withDutyAll(alerts), next, now: at };
    }
    const cursor = Number(since);
    if (!Number.isInteger(cursor) || cursor < 0)
      throw new HttpError(400, 'since must be an event id (0 at first)');
    const { changes, next } = await store.alerts.changedSince(cursor, scope);
    return {
      alerts: await withDutyAll(changes.map((change) => change.alert)),
      next,
      now: at,
    };
  }

  /** The live stream: every change after the last event the client saw, then each as it commits. */
  async function stream(
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
    scope: AlertScope,
  ) {
    const header = request.headers['last-event-id'];
    const from = Number(
      typeof header === 'string' && header !== ''
        ? header
        : (url.searchParams.get('since') ?? (await store.alerts.lastEvent())),
    );
    if (!Number.isInteger(from) || from < 0) throw new HttpError(400, 'since must be an event id');
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    let cursor = from;
    let quietSince = Date.now();
    let open = true;
    // Woken by a commit that changed an alert (through this receiver or another on the database).
    let changed = false;
    let wake = () => {};
    const unlisten = store.alerts.onChange(() => {
      changed = true;
      wake();
    });
    request.on('close', () => {
      open = false;
      wake();
    });
    while (open && !stopping()) {
      changed = false;
      const { changes, next } = await store.alerts.changedSince(cursor, scope);
      for (const { seq, alert } of changes)
        response.write(
          `id: ${seq}\nevent: alert\ndata: ${JSON.stringify({ alert: await withDuty(alert), now: now() })}\n\n`,
        );
      cursor = next;
      if (changes.length > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= KEEPALIVE_MS) {
        response.write(': keepalive\n\n');
        quietSince = Date.now();
      }
      if (changed || !open) continue;
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, LOOK_AGAIN_MS);
        wake = () => {
          clearTimeout(timer);
          resume();
        };
      });
    }
    unlisten();
    response.end();
  }

  /** A person on duty takes an alert, or closes it: the answer is the alert as it now stands. */
  async function act(
    id: string,
    verb: 'take' | 'close',
    request: IncomingMessage,
    response: ServerResponse,
    page: boolean,
  ) {
    const principal = await allowed(request, page, ['act-on-alerts']);
    if (page && request.headers['x-kadian-page'] !== '1')
      throw new HttpError(403, 'the duty page sends this header; a form from elsewhere cannot');
    const scope = scopeOf(principal);
    if (!(await store.alerts.alert(id, scope)))
      throw new HttpError(404, 'no such alert in your place');
    const body = jsonOf(await readBody(request, 4096));
    const at = now();
    const made = (
      checkpointId: string,
      kind: KadianRecord['kind'],
      data: object,
      person: { name: string; phone?: string },
    ): Checked =>
      validate({
        id: nextRecordId(at),
        kind,
        checkpointId,
        deviceId: 'receiver',
        volunteer: person,
        recordedAt: at,
        schemaVersion: 1,
        data,
      });
    let result: Awaited<ReturnType<Store['actOnAlert']>>;
    if (verb === 'take') {
      const take = Take.safeParse(body);
      if (!take.success) throw new HttpError(400, 'body must be {name, phone?}');
      result = await store.actOnAlert(
        { take: take.data },
        id,
        (cp) => made(cp, 'fever-alert-taken', { alertId: id }, take.data),
        at,
        principal.label,
      );
    } else {
      const close = Close.safeParse(body);
      if (!close.success)
        throw new HttpError(
          400,
          `body must be {name, outcome: ${ALERT_OUTCOMES.join(' | ')}, note?}`,
        );
      const { name, outcome, note } = close.data as {
        name: string;
        outcome: AlertOutcome;
        note?: string;
      };
      result = await store.actOnAlert(
        { close: { name, outcome, ...(note?.trim() && { note: note.trim() }) } },
        id,
        (cp) =>
          made(
            cp,
            'fever-alert-closed',
            { alertId: id, outcome, ...(note?.trim() && { note: note.trim() }) },
            { name },
          ),
        at,
        principal.label,
      );
    }
    if ('refused' in result) throw new HttpError(409, result.refused);
    const alert = await store.alerts.alert(id, 'all');
    send(response, 200, { alert: alert && (await withDuty(alert)) });
  }

  /** Handles an alert route; false when the address is not one. */
  return async function route(
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    const page = url.pathname.startsWith('/view/');
    const path = url.pathname.replace(/^\/api\/v1\/alerts|^\/view\/alerts/, '');
    if (path === url.pathname) return false;
    if (path === '' && request.method === 'GET' && !page) {
      send(
        response,
        200,
        await list(url, await allowed(request, false, ['upload', 'read-reports'])),
      );
      return true;
    }
    if (path === '/list' && request.method === 'GET' && page) {
      const principal = await allowed(request, true, ['read-reports']);
      send(response, 200, {
        ...(await list(url, principal)),
        scope: principal.scope ?? null,
        mayAct: may(principal, 'act-on-alerts'),
      });
      return true;
    }
    if (path === '/events' && request.method === 'GET') {
      await stream(url, request, response, scopeOf(await allowed(request, page, ['read-reports'])));
      return true;
    }
    const action = /^\/([^/]+)\/(take|close)$/.exec(path);
    if (action?.[1] && request.method === 'POST') {
      await act(decoded(action[1]), action[2] as 'take' | 'close', request, response, page);
      return true;
    }
    return false;
  };
}
