// The reference receiver under a county's load: ingest, and a 200-record batch's answer alone and
// while a day's roll-up is being made, at 100,000 and 1,000,000 stored records (28 days, 200
// checkpoints). The receiver runs in its own process, as in production; the seeded files are kept
// in tests/.generated and reused by later runs. Prints figures; asserts none.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { test } from '@playwright/test';
import { openStore } from '../server/store';
import { DAY_MS, localDay } from '../src/domain/day';
import type { KadianRecord } from '../src/domain/records';
import { emptyCounts } from '../src/domain/roll-up';
import { figures } from './shared';

const CHECKPOINTS = 200;
const BATCH = 200;
const PORT = 4319;
const origin = `http://127.0.0.1:${PORT}`;
const now = Date.now();
const firstDay = now - 28 * DAY_MS;

let serial = 0;
/** One record of a county's mix: 70% pass scans, 22% temperatures (one in 200 a fever), 8% visitors. */
function record(at: number, checkpoint: number): KadianRecord {
  serial += 1;
  const id = `0192f0a4-3b7d-7c35-9a51-${serial.toString(16).padStart(12, '0')}`;
  const envelope = {
    id,
    checkpointId: `cp-${checkpoint}`,
    deviceId: `dev-${checkpoint}`,
    volunteer: { name: '李红' },
    recordedAt: at,
    schemaVersion: 1 as const,
  };
  const slot = serial % 100;
  if (slot < 70)
    return {
      ...envelope,
      kind: 'pass-scan',
      data: {
        passId: `p-${serial % 5000}`,
        householdId: `hh-${serial % 2500}`,
        direction: slot % 2 ? 'in' : 'out',
        verdict: 'allowed',
      },
    };
  if (slot < 92) {
    const fever = serial % 200 === 71;
    return {
      ...envelope,
      kind: 'temperature',
      data: {
        subject: { type: 'pass', ref: `p-${serial % 5000}` },
        celsius: fever ? 38.1 : 36.5,
        method: 'forehead',
        fever,
      },
    };
  }
  return {
    ...envelope,
    kind: 'visitor-in',
    data: {
      name: '王五',
      idType: 'none',
      from: { region: '长沙', keyArea: false },
      visiting: '3栋501',
      purpose: '送药',
    },
  };
}

/** The daily reports of every checkpoint-day, as the gates send them. */
function reports(): KadianRecord[] {
  return Array.from({ length: 28 * CHECKPOINTS }, (_, i) => {
    const day = Math.floor(i / CHECKPOINTS);
    const checkpoint = i % CHECKPOINTS;
    serial += 1;
    return {
      id: `0192f0a4-3b7d-7c35-9a52-${serial.toString(16).padStart(12, '0')}`,
      kind: 'daily-report',
      checkpointId: `cp-${checkpoint}`,
      deviceId: `dev-${checkpoint}`,
      volunteer: { name: '李红' },
      recordedAt: firstDay + day * DAY_MS + 20 * 3600 * 1000,
      schemaVersion: 1,
      data: {
        date: localDay(firstDay + day * DAY_MS + 12 * 3600 * 1000),
        place: {
          county: '汉寿县',
          township: `镇${checkpoint % 10}`,
          community: `社区${checkpoint % 40}`,
          courtyard: `小区${checkpoint}`,
        },
        counts: { ...emptyCounts(), passesIn: 100 },
        zero: true,
        volunteers: [{ name: '李红' }],
      },
    } as KadianRecord;
  });
}

/** A file of `count` records over the last 28 days, made once and reused. */
async function seeded(count: number): Promise<string> {
  const file = `tests/.generated/receiver-${count}.sqlite`;
  if (existsSync(file)) {
    const store = await openStore({ KADIAN_DB: file });
    const have = await store.recordCount();
    await store.close();
    if (have >= count) return file;
  }
  rmSync(file, { force: true });
  const store = await openStore({ KADIAN_DB: file });
  serial = 0;
  for (let made = 0; made < count; made += 10_000) {
    const records = Array.from({ length: Math.min(10_000, count - made) }, (_, i) =>
      record(firstDay + Math.floor(((made + i) / count) * 28 * DAY_MS), (made + i) % CHECKPOINTS),
    );
    await store.commitBatch(
      `seed-${made}`,
      '',
      'seed',
      records.map((item) => ({ record: item })),
      now,
    );
  }
  await store.commitBatch(
    'seed-reports',
    '',
    'seed',
    reports().map((item) => ({ record: item })),
    now,
  );
  await store.close();
  return file;
}

async function startReceiver(file: string): Promise<ChildProcess> {
  const child = spawn('node', ['dist-server/main.js'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(PORT),
      KADIAN_DB: file,
      KADIAN_STATIC: 'dist',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${origin}/api/v1/revocations?since=0`).then(
        () => true,
        () => false,
      )
    )
      return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('receiver did not start');
}

async function postBatch(records: KadianRecord[]): Promise<number> {
  const key = crypto.randomUUID();
  const start = performance.now();
  const response = await fetch(`${origin}/api/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ deviceId: records[0]?.deviceId, batchId: key, frozenAt: now, records }),
  });
  await response.json();
  return performance.now() - start;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const fresh = () =>
  Array.from({ length: BATCH }, (_, i) => record(now - 60_000 + i, serial % CHECKPOINTS));

for (const count of [100_000, 1_000_000]) {
  test(`receiver with ${count.toLocaleString('en')} records: ingest, and a batch alone and during a roll-up`, async () => {
    test.setTimeout(900_000);
    const file = await seeded(count);
    const receiver = await startReceiver(file);
    try {
      // The limit a batch's answer approaches: a bare round trip to the same receiver.
      const bare: number[] = [];
      for (let i = 0; i < 30; i++) {
        const start = performance.now();
        await (await fetch(`${origin}/api/v1/revocations?since=999999999`)).text();
        bare.push(performance.now() - start);
      }
      const ingestStart = performance.now();
      for (let i = 0; i < 50; i++) await postBatch(fresh());
      const perSecond = (50 * BATCH) / ((performance.now() - ingestStart) / 1000);
      const alone: number[] = [];
      for (let i = 0; i < 20; i++) alone.push(await postBatch(fresh()));
      const yesterday = localDay(now - DAY_MS);
      const during: number[] = [];
      const rollUps: number[] = [];
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        const rollUp = fetch(`${origin}/api/v1/reports/daily?date=${yesterday}`).then((r) =>
          r.json(),
        );
        // The batch is sent while the roll-up is being made.
        during.push(await postBatch(fresh()));
        await rollUp;
        rollUps.push(performance.now() - start);
      }
      console.log(
        [
          `receiver, ${count.toLocaleString('en')} records (28 days, ${CHECKPOINTS} checkpoints):`,
          `  ingest: ${Math.round(perSecond).toLocaleString('en')} records/s (200-record batches, one at a time)`,
          `  200-record batch alone: ${figures(alone)}`,
          `  200-record batch during a roll-up: ${figures(during)}`,
          `  the day's roll-up: ${figures(rollUps)}`,
          `  limit, a bare round trip to the receiver: median ${median(bare).toFixed(2)} ms; batch alone / bare = ${(median(alone) / median(bare)).toFixed(1)}×, during a roll-up / alone = ${(median(during) / median(alone)).toFixed(2)}×`,
        ].join('\n'),
      );
    } finally {
      receiver.kill('SIGTERM');
    }
  });
}
