// What the benchmarks share: a device's history written straight into its IndexedDB, and how
// timings are printed.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { getPublicKeyAsync, signAsync } from '@noble/ed25519';
import { expect, type Page } from '@playwright/test';
import { LISTED_TALLIES, READ_TALLIES } from '../src/domain/tally';
import { openSettings } from '../tests/e2e/helpers';

/**
 * Writes `history` records of the last 28 days at the device's checkpoint straight into its
 * IndexedDB, in the app's stored form and already sent (nothing in the outbox). `households`
 * households' pass scans alternate out and in; with `mixed`, a quarter are other kinds instead:
 * temperatures (20%, one in twenty a fever), visitors (1%, about 36 a day, as under an epidemic's
 * visiting rules, each signing out later), and voids (2%, pessimistic) of the last scan or reading; with
 * each day's figures row and each visitor's stay as the app keeps them.
 * Resolves to how many records the device then holds.
 */
export async function seedHistory(
  page: Page,
  options: { history: number; households: number; mixed: boolean },
): Promise<number> {
  const count = await page.evaluate(
    async ({ history, households, mixed, listed, read }) => {
      const open = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('kadian');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const meta = await new Promise<{ value: { deviceId: string; checkpoint: { id: string } } }>(
        (resolve) => {
          const get = open.transaction('meta').objectStore('meta').get('config');
          get.onsuccess = () => resolve(get.result);
        },
      );
      const { deviceId, checkpoint } = meta.value;
      const pad = (n: number) => String(n).padStart(2, '0');
      const dayOf = (ms: number) => {
        const d = new Date(ms);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      };
      const now = Date.now();
      // An hour short of 28 days: the app's retention purge (28 days) may run meanwhile.
      const span = (28 * 24 - 1) * 3600 * 1000;
      const inside: string[] = [];
      const visits = new Map<
        string,
        {
          id: string;
          checkpointId: string;
          arrivedAt: number;
          departures: { id: string; at: number }[];
          voided: boolean;
        }
      >();
      const days = new Map<
        string,
        { tallies: Record<string, number>; voided: Record<string, number>; voidedIds: string[] }
      >();
      let last = { id: '', day: '', tally: '', index: {} as object };
      const made = (i: number): { kind: string; data: object; tally: string; index: object } => {
        const slot = mixed ? i % 100 : 0;
        const household = i % households;
        if (slot < 76) {
          const data = {
            passId: `00000000-h${household}`,
            householdId: `hh-${household}`,
            // Each household's scans alternate: as many exits as returns.
            direction: Math.floor(i / households) % 2 === 0 ? 'out' : 'in',
            verdict: 'allowed',
          };
          return {
            kind: 'pass-scan',
            data,
            tally: `scan/${data.direction}/allowed`,
            index: { passId: data.passId, householdId: data.householdId },
          };
        }
        if (slot < 96) {
          const fever = slot === 95 && i % 1000 === 95;
          const data = {
            subject: { type: 'person' },
            celsius: fever ? 37.8 : 36.5,
            method: 'forehead',
            fever,
          };
          return {
            kind: 'temperature',
            data,
            tally: `temperature/${fever ? 'fever' : 'normal'}`,
            index: {},
          };
        }
        if (slot === 96) {
          const data = {
            name: `访客${i}`,
            idType: 'none',
            from: { region: '长沙市', keyArea: i % 1000 === 96 },
            visiting: `${(i % 9) + 1}栋`,
            purpose: '探亲',
          };
          return { kind: 'visitor-in', data, tally: 'visitor-in', index: {} };
        }
        // Every visitor-out slot signs out the earliest visitor still inside.
        const visitorId = slot === 97 ? inside.shift() : undefined;
        if (slot === 97 && visitorId)
          return {
            kind: 'visitor-out',
            data: { visitorId },
            tally: 'visitor-out',
            index: { targetId: visitorId },
          };
        return {
          kind: 'void',
          data: { targetId: last.id, reason: '录错了' },
          tally: 'void',
          // Filed as the app files a void: under its target's day and tally, and a scan's pass.
          index: {
            ...last.index,
            targetId: last.id,
            voidOf: [checkpoint.id, last.day, last.tally],
          },
        };
      };
      for (let start = 0; start < history; start += 10_000) {
        await new Promise<void>((resolve, reject) => {
          const tx = open.transaction('records', 'readwrite');
          const store = tx.objectStore('records');
          for (let i = start; i < Math.min(history, start + 10_000); i++) {
            const recordedAt = now - span + Math.floor((i / history) * span);
            const id = crypto.randomUUID();
            const { kind, data, tally, index } = made(i);
            store.add({
              id,
              kind,
              checkpointId: checkpoint.id,
              day: dayOf(recordedAt),
              recordedAt,
              tally,
              ...(read.includes(tally) && { inReport: 1 }),
              ...index,
              record: {
                id,
                kind,
                checkpointId: checkpoint.id,
                deviceId,
                volunteer: { name: '李红' },
                recordedAt,
                schemaVersion: 1,
                data,
              },
            });
            if (kind === 'visitor-in') {
              inside.push(id);
              visits.set(id, {
                id,
                checkpointId: checkpoint.id,
                arrivedAt: recordedAt,
                departures: [],
                voided: false,
              });
            }
            // Each visitor's stay, as the app keeps it beside its records.
            if (kind === 'visitor-out') {
              const visitorId = (data as { visitorId: string }).visitorId;
              visits.get(visitorId)?.departures.push({ id, at: recordedAt });
            }
            // The day's figures, as the app keeps them beside its records (each void voids a new record).
            const figures = (day: string) => {
              const row = days.get(day) ?? { tallies: {}, voided: {}, voidedIds: [] };
              days.set(day, row);
              return row;
            };
            const { tallies } = figures(dayOf(recordedAt));
            tallies[tally] = (tallies[tally] ?? 0) + 1;
            if (kind === 'void') {
              const { voided, voidedIds } = figures(last.day);
              voided[last.tally] = (voided[last.tally] ?? 0) + 1;
              if (listed.includes(last.tally)) voidedIds.push(last.id);
            }
            // Voids correct the last scan or reading (never a void, never a visitor's record).
            if (kind === 'pass-scan' || kind === 'temperature')
              last = { id, day: dayOf(recordedAt), tally, index };
          }
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      await new Promise<void>((resolve, reject) => {
        const tx = open.transaction(['days', 'visits'], 'readwrite');
        for (const [day, row] of days)
          tx.objectStore('days').put({ checkpointId: checkpoint.id, day, ...row });
        for (const visit of visits.values()) {
          const leftAt = Math.min(Number.MAX_SAFE_INTEGER, ...visit.departures.map((d) => d.at));
          // The days at whose end the visitor was inside, once left (as the app's nightsOf).
          const nights: [string, string][] = [];
          for (let day = new Date(visit.arrivedAt); leftAt < Number.MAX_SAFE_INTEGER; ) {
            const end =
              new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime() - 1;
            if (end >= leftAt) break;
            nights.push([visit.checkpointId, dayOf(end)]);
            day = new Date(end + 1);
          }
          tx.objectStore('visits').put({ ...visit, leftAt, nights });
        }
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      const count = await new Promise<number>((resolve) => {
        const request = open.transaction('records').objectStore('records').count();
        request.onsuccess = () => resolve(request.result);
      });
      open.close();
      return count;
    },
    { ...options, listed: LISTED_TALLIES, read: READ_TALLIES },
  );
  // The seed's own garbage (a write request and its row for each record, made in this page) is
  // collected before anything is timed: a device opened on its history would not carry it, and
  // its one full collection (50–130 ms, with marking steps before it) fell among the timed runs.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  return count;
}

/** Timings as the benchmarks print them: median, p95 and max, in ms. */
export function figures(timings: number[]): string {
  const at = (q: number) => quantile(timings, q).toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
}

/** A test issuer's public key (base64url) and key id, from its fixed secret. */
export async function issuerKey(secret: Uint8Array) {
  const publicKey = await getPublicKeyAsync(secret);
  const kid = createHash('sha256').update(publicKey).digest('hex').slice(0, 8);
  return { publicKey: Buffer.from(publicKey).toString('base64url'), kid };
}

/** A KD1 pass code: the payload signed with the issuer's secret (see docs/kd1.md). */
export async function signKd1(secret: Uint8Array, payload: Record<string, unknown>) {
  const head = `KD1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = await signAsync(new TextEncoder().encode(head), secret);
  return `${head}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * A test issuer (a fixed secret) made trusted in the device's Settings; `sign(count, payload)`
 * makes that many signed passes, numbered from 0, from the payload fields each index gets.
 */
export async function trustedIssuer(page: Page, secret: Uint8Array) {
  const { publicKey, kid } = await issuerKey(secret);
  await openSettings(page);
  await page.getByLabel('信任的发证公钥（每行一个） （选填）').fill(publicKey);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('设置已保存')).toBeVisible();
  const sign = (count: number, fields: (i: number) => Record<string, unknown>) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const passId = `${kid}-${String(i).padStart(6, '0')}`;
        const payload = {
          v: 1,
          kid,
          pid: passId,
          cp: ['lj-03'],
          addr: '3栋2单元501',
          ...fields(i),
        };
        return { passId, text: await signKd1(secret, payload) };
      }),
    );
  return { publicKey, kid, sign };
}

/** The value a share `q` of the timings is at or below (the median at 0.5: the lower middle). */
export function quantile(timings: number[], q: number): number {
  const sorted = [...timings].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Chromium times a page to 0.1 ms unless it is cross-origin isolated (then to 5 µs), as the
 * receiver serves the app: a limit of a few tenths of a millisecond needs the finer timer.
 */
export async function expectPreciseTimers(page: Page) {
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
}

/**
 * The limits a scan's write approaches, timed in the same page: a bare IndexedDB put + commit,
 * and a bare Dexie `add` (the library the app stores with, served from the page's own origin so
 * its policy allows it), each into a scratch database with the records' primary key and `count`
 * rows of the record's size; back to back, or `paced` as submitCodes paces scans (each write after
 * two frames).
 */
export async function bareWrites(page: Page, count = 200, paced = false) {
  await expectPreciseTimers(page);
  await page.route('**/bench-dexie.mjs', (route) =>
    route.fulfill({ path: 'node_modules/dexie/dist/dexie.mjs', contentType: 'text/javascript' }),
  );
  return page.evaluate(
    async ({ count, paced }) => {
      const drawn = () =>
        new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const row = (i: number) => ({
        id: `bare-${i}-${crypto.randomUUID()}`,
        record: {
          kind: 'pass-scan',
          recordedAt: Date.now(),
          data: { passId: `p-${i}`, verdict: 'allowed', direction: 'in' },
        },
      });
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('kadian-bench-bare', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('rows', { keyPath: 'id' });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const put: number[] = [];
      for (let i = 0; i < count; i++) {
        if (paced) await drawn();
        const start = performance.now();
        await new Promise<void>((resolve, reject) => {
          const tx = idb.transaction('rows', 'readwrite');
          tx.objectStore('rows').put(row(i));
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        put.push(performance.now() - start);
      }
      idb.close();
      const from = '/bench-dexie.mjs';
      const { default: Dexie } = (await import(from)) as typeof import('dexie');
      const db = new Dexie('kadian-bench-dexie');
      db.version(1).stores({ rows: 'id' });
      const add: number[] = [];
      for (let i = 0; i < count; i++) {
        if (paced) await drawn();
        const start = performance.now();
        await db.table('rows').add(row(i));
        add.push(performance.now() - start);
      }
      db.close();
      return { put, add };
    },
    { count, paced },
  );
}

/**
 * Runs `fn` under Chromium's sampling profiler when KADIAN_PROFILE is set: the profile is written
 * to tests/.generated/profiles/<name>.cpuprofile (open it in DevTools' Performance panel) and the
 * functions with the most self time are printed. With KADIAN_TRACE set instead, `fn` runs under a
 * Chromium trace (see traced). Without either, just runs `fn`.
 */
export async function profiled<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.KADIAN_TRACE) return traced(page, name, fn);
  if (!process.env.KADIAN_PROFILE) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  mkdirSync('tests/.generated/profiles', { recursive: true });
  writeFileSync(`tests/.generated/profiles/${name}.cpuprofile`, JSON.stringify(profile));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    const ms = (deltas[i] ?? 0) / 1000;
    total += ms;
    self.set(where, (self.get(where) ?? 0) + ms);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 20);
  console.log(
    `\nprofile ${name}: ${total.toFixed(0)} ms sampled; most self time:\n${top
      .map(([where, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${where}`)
      .join('\n')}\n`,
  );
  return result;
}

/** What a trace records: the page's tasks, rendering, garbage collection and IndexedDB's work. */
const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
  'blink.user_timing',
  'v8',
  'IndexedDB',
];

/** Event names that only wrap others: left out of where the time went. */
const WRAPPERS =
  /^(RunTask|ThreadControllerImpl::RunTask|ThreadPool_RunTask|v8\.callFunction|Receive mojo (message|reply)|SimpleWatcher::OnHandleReady|EpollEvent|TaskGraphRunner::RunTask)$/;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Runs `fn` under a Chromium trace (every process and thread: the page's, the browser's, and
 * IndexedDB's backend), written to tests/.generated/profiles/<name>.trace.json (open it in
 * DevTools' Performance panel), and prints where the busiest threads' time went and the page's
 * long tasks (over 16 ms) with the event that filled most of each.
 */
async function traced<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  const browser = page.context().browser();
  if (!browser) return fn();
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const result = await fn();
  const trace = await browser.stopTracing();
  mkdirSync('tests/.generated/profiles', { recursive: true });
  writeFileSync(`tests/.generated/profiles/${name}.trace.json`, trace);
  const { traceEvents } = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] };
  console.log(`\ntrace ${name}:\n${traceSummary(traceEvents)}\n`);
  return result;
}

function traceSummary(events: TraceEvent[]): string {
  const threadNames = new Map<string, string>();
  for (const event of events)
    if (event.ph === 'M' && event.name === 'thread_name')
      threadNames.set(`${event.pid}/${event.tid}`, event.args?.name ?? '?');
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (event.ph !== 'X' || !event.dur) continue;
    const thread = `${event.pid}/${event.tid}`;
    const list = byThread.get(thread) ?? [];
    list.push(event);
    byThread.set(thread, list);
  }
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  const lines: string[] = [];
  const threads = [...byThread].map(([thread, list]) => {
    list.sort((a, b) => a.ts - b.ts);
    // Top-level tasks: those not inside an earlier one on the same thread.
    const tasks: TraceEvent[] = [];
    for (const event of list) {
      const last = tasks.at(-1);
      if (!last || event.ts >= last.ts + (last.dur ?? 0)) tasks.push(event);
    }
    const busy = tasks.reduce((sum, task) => sum + (task.dur ?? 0), 0);
    return { name: threadNames.get(thread) ?? thread, list, tasks, busy };
  });
  threads.sort((a, b) => b.busy - a.busy);
  for (const thread of threads.slice(0, 4)) {
    const spent = new Map<string, number>();
    for (const event of thread.list)
      if (!WRAPPERS.test(event.name))
        spent.set(event.name, (spent.get(event.name) ?? 0) + (event.dur ?? 0));
    const top = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 8);
    lines.push(`  ${thread.name}: busy ${ms(thread.busy)}`);
    for (const [event, us] of top) lines.push(`    ${ms(us).padStart(10)}  ${event}`);
  }
  const page = threads.find((thread) => thread.name === 'CrRendererMain');
  for (const task of page?.tasks.filter((each) => (each.dur ?? 0) > 16_000) ?? []) {
    const end = task.ts + (task.dur ?? 0);
    const inside = page?.list.filter(
      (event) =>
        event.ts >= task.ts && event.ts < end && event !== task && !WRAPPERS.test(event.name),
    );
    const largest = inside?.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))[0];
    lines.push(
      `  long task on the page: ${ms(task.dur ?? 0)}${largest ? `, most of it ${largest.name} ${ms(largest.dur ?? 0)}` : ''}`,
    );
  }
  return lines.join('\n');
}
