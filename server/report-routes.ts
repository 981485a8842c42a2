// What people up the chain read: the day's roll-up (JSON and page), the dashboard of a period
// (JSON, page, CSV), quota flags, visitors (their numbers opened with the office's data key), the
// report deadline's missing checkpoints, the duty page and its script, the audit log. Every viewer
// sees only the places under its token's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isExists } from 'date-fns';
import { deadlineOf, type IsolationSettings, type Quota } from '../src/domain/config';
import { DAY_MS, dayBounds, localDay } from '../src/domain/day';
import { DEFAULT_ISOLATION } from '../src/domain/isolation';
import { quotaFlags } from '../src/domain/quota-flags';
import { isUnder, openFevers, type RollUp, rollUp } from '../src/domain/roll-up';
import { MAX_PERIOD_DAYS, periodDays, type Trends, trends } from '../src/domain/trends';
import type { Principal } from './access';
import { chartCsv, chartsOf, dashboardPage } from './dashboard-page';
import type { Guard } from './guard';
import { HttpError, readBody, send, sendPage } from './http';
import {
  ALERTS_SCRIPT,
  alertsPage,
  auditPage,
  flagsPage,
  PAGE_CSS,
  rollUpPage,
  visitorsPage,
} from './pages';
import { router } from './routes';
import type { Store } from './store';
import { openWithDataKey } from './visitors';

/** Fevers of this many days up to the day asked for are looked at for being still open. */
const OPEN_FEVER_DAYS = 14;

export interface ReportOptions {
  /** The county's outing quota, against which the gates' exits are checked together. */
  quota?: Quota;
  /** The daily report's deadline, "HH:MM": the roll-up tells late reports, duty pages the missing. */
  reportDeadline?: string;
  /** Home isolation's settings (the county's preset): the cutoff after which a household missed. */
  isolation?: IsolationSettings;
}

export function reportRoutes({
  store,
  now,
  guard: { authorize },
  options,
}: {
  store: Store;
  now: () => number;
  guard: Guard;
  options: ReportOptions;
}) {
  /** The day a parameter (`date`) asks for: YYYY-MM-DD; when absent, `fallback` (today, in the receiver's time zone). */
  function dayParam(url: URL, name = 'date', fallback = localDay(now())): string {
    const date = url.searchParams.get(name) ?? fallback;
    const [year, month, day] = date.split('-').map(Number);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isExists(year ?? 0, (month ?? 0) - 1, day ?? 0))
      throw new HttpError(400, `${name} must be a day such as 2026-11-29`);
    return date;
  }

  /** The period asked for: from–to (YYYY-MM-DD), the 28 days up to today when absent. */
  function periodParam(url: URL): { from: string; to: string } {
    const to = dayParam(url, 'to');
    const from = dayParam(url, 'from', localDay(dayBounds(to)[0] - 27 * DAY_MS));
    if (from > to) throw new HttpError(400, 'from must be on or before to');
    if (periodDays(from, to).length > MAX_PERIOD_DAYS)
      throw new HttpError(400, `a period is at most ${MAX_PERIOD_DAYS} days`);
    return { from, to };
  }

  /**
   * A place's figures day by day over the period asked for: the principal's place, or one under
   * it (`place`: a township, community or checkpoint id); and the place's name.
   */
  async function trendsOf(url: URL, principal: Principal): Promise<Trends & { name: string }> {
    const { from, to } = periodParam(url);
    const checkpoints = await store.knownCheckpoints();
    const asked = url.searchParams.get('place');
    let place = principal.scope;
    let name = place ?? '全部';
    if (asked !== null) {
      const shown = await visible(principal);
      const under = checkpoints.filter(
        (checkpoint) => shown(checkpoint.id) && isUnder(checkpoint, asked),
      );
      if (under.length === 0) throw new HttpError(404, 'no such place in yours');
      place = asked;
      // A checkpoint is named by its name, a place by itself.
      name = under.find((checkpoint) => checkpoint.id === asked)?.name ?? asked;
    }
    const [reports, samples, isolations] = await Promise.all([
      store.figures.reportsOn(from, to, place),
      store.alerts.samples(dayBounds(from)[0], dayBounds(to)[1], place),
      store.isolations.followedBetween(from, to, place),
    ]);
    return {
      ...trends(from, to, checkpoints, reports, samples, isolations, {
        place,
        now: now(),
        rules: options.isolation ?? DEFAULT_ISOLATION,
      }),
      name,
    };
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
    const shown = await visible(principal);
    const records = (await store.recordsOfKinds(['visitor-in'], start, end)).filter((record) =>
      shown(record.checkpointId),
    );
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
      await store.audit.record({
        at: now(),
        actor: principal.label,
        action: 'personal-data-opened',
        subject: `visitors ${date}`,
        detail: `${opening.opened} visitors, data key ${opening.kid}`,
      });
    return sendPage(response, visitorsPage(date, opening.ok ? opening.records : records, opening));
  }

  /** The quota flags of a day: those whose exit was at a gate the viewer may see. */
  async function flagsOf(url: URL, principal: Principal) {
    const date = dayParam(url);
    const quota = options.quota;
    if (!quota) return { date, quota, flags: [] };
    const [start, end] = dayBounds(date);
    await store.figures.windowFor(quota.days);
    const exits = await store.figures.exitsOverQuota(
      start - quota.days * DAY_MS,
      [start, end],
      quota.n,
    );
    const shown = await visible(principal);
    return {
      date,
      quota,
      flags: quotaFlags(exits, quota).filter(
        (flag) => flag.date === date && shown(flag.exit.checkpointId),
      ),
    };
  }

  /** The county's own viewers (a county's place, or none): the audit log is theirs to read. */
  async function countyOnly(request: IncomingMessage, page: boolean): Promise<Principal> {
    const principal = await authorize(request, 'read-reports', { page });
    const scope = principal.scope;
    if (scope !== undefined && !(await store.knownCheckpoints()).some((c) => c.county === scope))
      throw new HttpError(403, 'the audit log is read by the county');
    return principal;
  }

  /** The checkpoints a viewer may see: those under its place in the chain, as the registry says. */
  async function visible(principal: Principal): Promise<(checkpointId: string) => boolean> {
    const scope = principal.scope;
    if (scope === undefined) return () => true;
    const ids = new Set(
      (await store.knownCheckpoints())
        .filter((checkpoint) => isUnder(checkpoint, scope))
        .map((checkpoint) => checkpoint.id),
    );
    return (checkpointId) => ids.has(checkpointId);
  }

  /** The chain's totals for a day, who has not reported, and the fevers still open at its end. */
  async function rollUpOf(url: URL, principal: Principal): Promise<RollUp> {
    const date = dayParam(url);
    const [start, end] = dayBounds(date);
    // Read for the principal's place only (the roll-up keeps to it anyway).
    const place = principal.scope;
    const [reports, fevers, checkpoints, alerts, isolations] = await Promise.all([
      store.figures.reportsOn(date, date, place),
      store.feverLane(start - (OPEN_FEVER_DAYS - 1) * DAY_MS, end, place),
      store.knownCheckpoints(),
      store.alerts.samples(start, end, place),
      store.isolations.followedBetween(date, date, place),
    ]);
    return rollUp(date, checkpoints, reports, openFevers(date, fevers), new Set(), {
      scope: principal.scope,
      deadline: options.reportDeadline,
      alerts: { samples: alerts, now: now() },
      isolation: {
        isolations,
        now: now(),
        rules: options.isolation ?? DEFAULT_ISOLATION,
      },
    });
  }

  /**
   * Once today's deadline has passed, the checkpoints of the principal's place that have not
   * reported: the duty page lists them with a cue.
   */
  async function missingReports(principal: Principal) {
    const date = localDay(now());
    const deadline = options.reportDeadline ?? '20:00';
    const due = now() >= deadlineOf(date, deadline);
    const day = await rollUpOf(new URL(`http://receiver/?date=${date}`), principal);
    return {
      date,
      deadline,
      due,
      checkpoints: due
        ? day.missing.map(({ id, name, courtyard }) => ({ id, name, courtyard }))
        : [],
    };
  }

  const viewer = (request: IncomingMessage) => authorize(request, 'read-reports', { page: true });
  const text = (response: ServerResponse, type: string, content: string) => {
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` });
    response.end(content);
  };
  return router([
    {
      method: 'GET',
      path: '/api/v1/flags',
      handle: async ({ url, request, response }) => {
        const { date, quota, flags } = await flagsOf(url, await authorize(request, 'read-reports'));
        send(response, 200, { date, quota: quota ?? null, flags });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/reports/daily',
      handle: async ({ url, request, response }) =>
        send(response, 200, await rollUpOf(url, await authorize(request, 'read-reports'))),
    },
    {
      method: 'GET',
      path: '/api/v1/dashboard',
      handle: async ({ url, request, response }) =>
        send(response, 200, await trendsOf(url, await authorize(request, 'read-reports'))),
    },
    {
      method: 'GET',
      path: '/view/dashboard',
      handle: async ({ url, request, response }) =>
        sendPage(response, dashboardPage(await trendsOf(url, await viewer(request)))),
    },
    {
      method: 'GET',
      path: '/view/dashboard.csv',
      handle: async ({ url, request, response }) => {
        const trends = await trendsOf(url, await viewer(request));
        const chart = chartsOf(trends).find((one) => one.key === url.searchParams.get('chart'));
        if (!chart) throw new HttpError(404, 'no such chart');
        response.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${chart.key}-${trends.from}-${trends.to}.csv"`,
        });
        response.end(chartCsv(chart, trends.days));
      },
    },
    {
      method: 'GET',
      path: '/view/daily',
      handle: async ({ url, request, response }) =>
        sendPage(response, rollUpPage(await rollUpOf(url, await viewer(request)))),
    },
    {
      method: ['GET', 'POST'],
      path: '/view/visitors',
      handle: async ({ url, request, response }) =>
        visitors(url, request, response, await viewer(request)),
    },
    {
      method: 'GET',
      path: '/view/alerts/missing',
      handle: async ({ request, response }) =>
        send(response, 200, await missingReports(await viewer(request))),
    },
    {
      method: 'GET',
      path: '/view/alerts',
      handle: async ({ request, response }) => {
        await viewer(request);
        sendPage(response, alertsPage());
      },
    },
    {
      method: ['GET', 'HEAD'],
      path: '/view/alerts.js',
      handle: ({ response }) => text(response, 'text/javascript', ALERTS_SCRIPT),
    },
    {
      method: 'GET',
      path: '/api/v1/audit',
      handle: async ({ request, response }) => {
        await countyOnly(request, false);
        send(response, 200, { entries: await store.audit.entries() });
      },
    },
    {
      method: 'GET',
      path: '/view/audit',
      handle: async ({ request, response }) => {
        await countyOnly(request, true);
        sendPage(response, auditPage(await store.audit.entries()));
      },
    },
    {
      method: ['GET', 'HEAD'],
      path: '/view/page.css',
      handle: ({ response }) => text(response, 'text/css', PAGE_CSS),
    },
    {
      method: 'GET',
      path: '/view/flags',
      handle: async ({ url, request, response }) => {
        const { date, quota, flags } = await flagsOf(url, await viewer(request));
        sendPage(response, flagsPage(date, quota, flags));
      },
    },
  ]);
}
