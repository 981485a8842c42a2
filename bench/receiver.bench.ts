// The reference receiver at a county's and at ten counties' scale, on SQLite and on PostgreSQL,
// side by side in one run: ingest (one receiver, and two on one PostgreSQL), a 200-record batch's
// answer alone and during a roll-up, the day's roll-up, quota flags and duty pages at county and
// whole-database level, start-up, and disk per record. Receivers run as their own processes, as in
// production; the seeds (bench/seed.ts) are kept in tests/.generated and reused. Prints figures
// beside the limit each approaches, measured in the same run; asserts none.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from '@playwright/test';
import pg from 'pg';
import { openStore, type Store } from '../server/store';
import { DAY_MS, localDay } from '../src/domain/day';
import type { KadianRecord } from '../src/domain/records';
import { type Cluster, startCluster } from '../tests/postgres-cluster';
import { CHECKPOINTS_PER_COUNTY, checkpointDay, countyName, DAYS, type Seed, seeded } from './seed';
import { figures, quantile } from './shared';

const GENERATED = 'tests/.generated';
const BATCH = 200;
/** One second: what the issue asks of a roll-up, the flags and a duty page at ten counties. */
const SECOND_MS = 1000;

interface Dataset {
  name: string;
  counties: number;
  /** The receiver's settings that name its database. */
  env: Record<string, string>;
}

const median = (values: number[]) => quantile(values, 0.5);
const ratio = (figure: number, limit: number) => `${(figure / limit).toFixed(2)}×`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A receiver process on the dataset's database; resolves once it answers, with how long that took. */
async function startReceiver(dataset: Dataset, preset: string) {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn('node', ['dist-server/main.js'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      KADIAN_STATIC: 'dist',
      KADIAN_PRESET: preset,
      // The seed stays as it was made (its personal data older than 28 days is not masked).
      KADIAN_PURGE_DAYS: '3650',
      ...dataset.env,
    },
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    const answered = await fetch(`${origin}/view/page.css`).then(
      () => true,
      () => false,
    );
    if (answered) return { child, origin, startMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('receiver did not start');
}

async function stopReceiver(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

async function timed(times: number, work: () => Promise<unknown>): Promise<number[]> {
  const spent: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    spent.push(performance.now() - start);
  }
  return spent;
}

let fresh = 0;
/** 200 records of a checkpoint made now (ids new to the database). */
function freshBatch(checkpoints: number): KadianRecord[] {
  fresh += 1;
  const checkpoint = (fresh * 7) % checkpoints;
  const midnight = Date.now() - 12 * 3_600_000;
  return [
    ...checkpointDay(checkpoint, midnight, 1000 + fresh),
    ...checkpointDay(checkpoint, midnight, 5000 + fresh),
  ]
    .filter((record) => record.kind !== 'daily-report' && !record.kind.startsWith('isolation'))
    .slice(0, BATCH)
    .map((record) => ({ ...record, id: crypto.randomUUID(), recordedAt: Date.now() }));
}

async function postBatch(origin: string, token: string, records: KadianRecord[]) {
  const key = crypto.randomUUID();
  const response = await fetch(`${origin}/api/v1/batches`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({ deviceId: records[0]?.deviceId, batchId: key, frozenAt: 1, records }),
  });
  if (response.status !== 200) throw new Error(`batch answered ${response.status}`);
  await response.json();
}

/** `clients` devices sending 200-record batches at once, spread over the receivers: records/s. */
async function ingest(origins: string[], token: string, checkpoints: number, clients = 4) {
  const perClient = 20;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++)
        await postBatch(
          origins[(client + i) % origins.length] ?? '',
          token,
          freshBatch(checkpoints),
        );
    }),
  );
  return (clients * perClient * BATCH) / ((performance.now() - start) / 1000);
}

async function get(origin: string, path: string, token: string) {
  const response = await fetch(`${origin}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

async function bytesOf(dataset: Dataset, store: Store): Promise<number> {
  if (dataset.env.KADIAN_DB) {
    const file = dataset.env.KADIAN_DB;
    const size = (path: string) => {
      try {
        return statSync(path).size;
      } catch {
        return 0;
      }
    };
    return size(file) + size(`${file}-wal`);
  }
  return (
    (await store.db.get<{ n: number }>('SELECT pg_database_size(current_database()) AS n'))?.n ?? 0
  );
}

let cluster: Cluster | undefined;

test.describe.configure({ mode: 'serial' });
test.afterAll(async () => cluster?.stop());

/** A database of the bench cluster (kept in tests/.generated, durable like a server's). */
async function postgresDatabase(name: string): Promise<string> {
  cluster ??= await startCluster({
    dir: `${GENERATED}/pg-bench`,
    durable: true,
    settings: ['shared_buffers=2GB', 'max_wal_size=8GB', 'checkpoint_timeout=30min'],
  });
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  await admin.end();
  return exists.rowCount
    ? cluster.url.replace(/\/postgres$/, `/${name}`)
    : cluster.createDatabase(name);
}

const datasets: (() => Promise<Dataset>)[] = [
  async () => ({
    name: 'SQLite, one county',
    counties: 1,
    env: { KADIAN_DB: `${GENERATED}/seed-1-county.sqlite` },
  }),
  async () => ({
    name: 'PostgreSQL, one county',
    counties: 1,
    env: { KADIAN_DATABASE_URL: await postgresDatabase('seed_1_county') },
  }),
  async () => ({
    name: 'PostgreSQL, ten counties',
    counties: 10,
    env: { KADIAN_DATABASE_URL: await postgresDatabase('seed_10_counties') },
  }),
];

for (const [index, datasetOf] of datasets.entries()) {
  test(`receiver, dataset ${index + 1} of ${datasets.length}`, async () => {
    test.setTimeout(3 * 3_600_000);
    mkdirSync(GENERATED, { recursive: true });
    const dataset = await datasetOf();
    const checkpoints = dataset.counties * CHECKPOINTS_PER_COUNTY;
    const marker = `${GENERATED}/seed-${dataset.name.replace(/\W+/g, '-')}.json`;
    const store = await openStore(dataset.env);
    let seed: Seed;
    let tokens: Record<'office' | 'all' | 'county' | 'duty', string>;
    let bytesPerRecord: number;
    try {
      seed = await seeded(store, marker, dataset.counties, console.log);
      const count = await store.recordCount();
      bytesPerRecord = (await bytesOf(dataset, store)) / count;
      const at = Date.now();
      tokens = {
        office: await store.createToken('bench office', 'office', at),
        all: await store.createToken('bench province', 'viewer', at),
        county: await store.createToken('bench county', 'viewer', at, { scope: countyName(0) }),
        duty: await store.createToken('bench duty', 'duty', at, { scope: countyName(0) }),
      };
    } finally {
      await store.close();
    }
    const preset = `${GENERATED}/bench-preset.json`;
    writeFileSync(preset, JSON.stringify({ rules: { quota: { n: 4, days: 2 } } }));
    const receiver = await startReceiver(dataset, preset);
    const extra = dataset.env.KADIAN_DATABASE_URL
      ? await startReceiver(dataset, preset)
      : undefined;
    try {
      const { origin } = receiver;
      const lastDay = localDay(seed.firstDay + (DAYS - 1) * DAY_MS + 12 * 3_600_000);
      const bare = await timed(30, () =>
        get(origin, '/view/page.css', tokens.office).catch(() => {}),
      );
      const ingestOne = await ingest([origin], tokens.office, checkpoints);
      const ingestTwo = extra
        ? await ingest([origin, extra.origin], tokens.office, checkpoints)
        : undefined;
      const alone = await timed(20, () =>
        postBatch(origin, tokens.office, freshBatch(checkpoints)),
      );
      const during: number[] = [];
      for (let i = 0; i < 10; i++) {
        const rollUp = get(origin, `/api/v1/reports/daily?date=${lastDay}`, tokens.all);
        const start = performance.now();
        await postBatch(origin, tokens.office, freshBatch(checkpoints));
        during.push(performance.now() - start);
        await rollUp;
      }
      // A province's receivers behind one proxy: a batch reaching another receiver while one makes a roll-up.
      const elsewhere: number[] = [];
      if (extra)
        for (let i = 0; i < 10; i++) {
          const rollUp = get(origin, `/api/v1/reports/daily?date=${lastDay}`, tokens.all);
          const start = performance.now();
          await postBatch(extra.origin, tokens.office, freshBatch(checkpoints));
          elsewhere.push(performance.now() - start);
          await rollUp;
        }
      const rollUpAll = await timed(10, () =>
        get(origin, `/api/v1/reports/daily?date=${lastDay}`, tokens.all),
      );
      const rollUpCounty = await timed(10, () =>
        get(origin, `/api/v1/reports/daily?date=${lastDay}`, tokens.county),
      );
      // The command centre's dashboard of the seed's 28 days.
      const period = `from=${localDay(seed.firstDay + 12 * 3_600_000)}&to=${lastDay}`;
      const dashboardCounty = await timed(10, () =>
        get(origin, `/api/v1/dashboard?${period}`, tokens.county),
      );
      const dashboardAll = await timed(10, () =>
        get(origin, `/api/v1/dashboard?${period}`, tokens.all),
      );
      let flagged = 0;
      const flagsAll = await timed(10, async () => {
        flagged = (await get(origin, `/api/v1/flags?date=${lastDay}`, tokens.all)).flags.length;
      });
      const flagsCounty = await timed(10, () =>
        get(origin, `/api/v1/flags?date=${lastDay}`, tokens.county),
      );
      // The duty page: its list (the last day's alerts) and its catching up from a day back.
      const { next } = await get(origin, '/api/v1/alerts', tokens.office);
      const perDay = Math.round((seed.records / DAYS) * 0.22 * 0.005);
      const dayBack = Math.max(0, next - perDay);
      let caughtUp = 0;
      const dutyList = await timed(10, () => get(origin, '/view/alerts/list', tokens.duty));
      const dutySince = await timed(10, async () => {
        caughtUp = (await get(origin, `/api/v1/alerts?since=${dayBack}`, tokens.office)).alerts
          .length;
      });
      const line = (label: string, spent: number[], limit: number, limitName: string) =>
        `  ${label}: ${figures(spent)} — limit ${limitName} ${limit.toFixed(2)} ms, median ${ratio(median(spent), limit)}`;
      console.log(
        [
          `${dataset.name}: ${seed.records.toLocaleString('en')} records seeded (${DAYS} days, ${checkpoints.toLocaleString('en')} checkpoints), ${Math.round(bytesPerRecord)} B a record on disk`,
          `  start-up to answering: ${receiver.startMs.toFixed(0)} ms`,
          `  ingest, 4 devices at once, one receiver: ${Math.round(ingestOne).toLocaleString('en')} records/s`,
          ...(ingestTwo === undefined
            ? []
            : [
                `  ingest, 4 devices at once, two receivers on the database: ${Math.round(ingestTwo).toLocaleString('en')} records/s (${ratio(ingestTwo, ingestOne)} of one)`,
              ]),
          line('200-record batch alone', alone, median(bare), 'a bare round trip'),
          line('200-record batch during a roll-up', during, median(alone), 'the batch alone'),
          ...(extra
            ? [
                line(
                  "200-record batch to the other receiver during one's roll-up",
                  elsewhere,
                  median(alone),
                  'the batch alone',
                ),
              ]
            : []),
          line("the day's roll-up, whole database", rollUpAll, SECOND_MS, 'one second'),
          line(
            `the day's roll-up, one county (${countyName(0)})`,
            rollUpCounty,
            SECOND_MS,
            'one second',
          ),
          line('the 28-day dashboard, one county', dashboardCounty, SECOND_MS, 'one second'),
          line('the 28-day dashboard, whole database', dashboardAll, SECOND_MS, 'one second'),
          line(`quota flags, whole database (${flagged} flags)`, flagsAll, SECOND_MS, 'one second'),
          line('quota flags, one county', flagsCounty, SECOND_MS, 'one second'),
          line("duty page's list, one county", dutyList, SECOND_MS, 'one second'),
          line(
            `duty page catching up a day (${caughtUp} alerts)`,
            dutySince,
            SECOND_MS,
            'one second',
          ),
        ].join('\n'),
      );
    } finally {
      await stopReceiver(receiver.child);
      if (extra) await stopReceiver(extra.child);
    }
  });
}
