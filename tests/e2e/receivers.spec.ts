// Two receiver processes on one PostgreSQL database: nothing that matters is kept in a receiver's
// memory, so a batch sent to both at once is stored once, a receiver killed under load loses no
// record it acknowledged, and a duty page on one hears of alerts that arrived through the other.
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { type Cluster, startCluster } from '../postgres-cluster';
import { dutyPage, ownReceiver } from './own-receiver';

type Receiver = Awaited<ReturnType<typeof ownReceiver>>;

let cluster: Cluster;
let database: string;
let first: Receiver;
let second: Receiver;
let office = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster();
  database = await cluster.createDatabase();
  // Both start at once, on an empty database: the tables are made once.
  [first, second] = await Promise.all([
    ownReceiver(
      { KADIAN_DATABASE_URL: database },
      { office: ['东岳社区', 'office'], duty: ['东岳社区值班', 'duty', '东岳社区'] },
    ),
    ownReceiver({ KADIAN_DATABASE_URL: database }, {}),
  ]);
  office = first.tokens.office ?? '';
});

test.afterAll(async () => {
  await first?.remove();
  await second?.remove();
  await cluster?.stop();
});

let serial = 0;
const nextId = () => `0193a0b4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;

function temperature(deviceId: string, celsius: number, at = Date.now()): KadianRecord {
  const made = makeRecord(
    { config: { ...deviceConfig, deviceId }, now: at, newId: nextId },
    'temperature',
    {
      subject: { type: 'visitor', name: '张三丰' },
      celsius,
      method: 'forehead',
      fever: celsius >= 37.3,
    },
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

interface Batch {
  key: string;
  body: string;
  ids: string[];
}

/** A batch of these records, or of `count` ordinary readings. */
function batchOf(deviceId: string, records: number | KadianRecord[]): Batch {
  if (typeof records === 'number')
    return batchOf(
      deviceId,
      Array.from({ length: records }, () => temperature(deviceId, 36.5)),
    );
  const key = crypto.randomUUID();
  return {
    key,
    body: JSON.stringify({ deviceId, batchId: key, frozenAt: Date.now(), records }),
    ids: records.map((record) => record.id),
  };
}

const post = (receiver: Receiver, batch: Batch) =>
  fetch(`${receiver.origin}/api/v1/batches`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${office}`,
      'content-type': 'application/json',
      'idempotency-key': batch.key,
    },
    body: batch.body,
  });

/** The ids stored for a device, read from the database itself. */
async function storedIds(deviceId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM records WHERE device_id = $1',
      [deviceId],
    );
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

test('a duty page on one receiver shows at once the fever that arrived through the other, and who took it there', async ({
  browser,
}) => {
  const onFirst = await dutyPage(browser, first.origin, first.tokens.duty ?? '');
  const onSecond = await dutyPage(browser, second.origin, first.tokens.duty ?? '');
  const record = temperature('dev-north', 38.6);
  expect((await post(second, batchOf('dev-north', [record]))).status).toBe(200);

  const card = onFirst.locator('#due [data-alert-id]');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-alert-id', record.id);
  await expect(card.getByRole('heading')).toHaveText('龙阳小区北门 · 38.6 °C');

  // Taken on the other receiver's page: the first page moves it to the done list.
  await onSecond.getByLabel('我的姓名').fill('王值班');
  await onSecond.locator('#due [data-alert-id]').getByRole('button', { name: '我来处理' }).click();
  await expect(onFirst.locator('#done [data-alert-id]')).toContainText('王值班 接手处理');
  await expect(onFirst.locator('#due [data-alert-id]')).toHaveCount(0);
  for (const page of [onFirst, onSecond]) {
    expect(await page.cspViolations()).toEqual([]);
    await page.context().close();
  }
});

test('the same batches sent to both receivers at once are stored once, and both answer alike', async () => {
  const batches = Array.from({ length: 20 }, () => batchOf('dev-twice', 50));
  const answers = await Promise.all(
    batches.map(async (batch) => {
      const [a, b] = await Promise.all([post(first, batch), post(second, batch)]);
      return { statuses: [a.status, b.status], bodies: [await a.json(), await b.json()], batch };
    }),
  );
  for (const { statuses, bodies, batch } of answers) {
    expect(statuses).toEqual([200, 200]);
    // Whichever committed first, the other waited for it and answered with its results.
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0].results).toEqual(batch.ids.map((id) => ({ id, status: 'accepted' })));
  }
  const stored = await storedIds('dev-twice');
  expect(stored).toHaveLength(1000);
  expect(new Set(stored).size).toBe(1000);
});

test('a receiver killed under load loses no record it acknowledged; sent again to the other, every record is stored once', async () => {
  test.setTimeout(120_000);
  const sent: Batch[] = [];
  const acknowledged = new Set<string>();
  // Six devices upload 200-record batches to the first receiver as fast as it answers.
  const uploading = Array.from({ length: 6 }, async (_, device) => {
    for (;;) {
      const batch = batchOf(`dev-load-${device}`, 200);
      sent.push(batch);
      const response = await post(first, batch).catch(() => undefined);
      if (!response) return;
      expect(response.status).toBe(200);
      acknowledged.add(batch.key);
    }
  });
  await expect.poll(() => acknowledged.size, { timeout: 60_000 }).toBeGreaterThanOrEqual(30);
  await first.kill();
  await Promise.all(uploading);

  const devices = Array.from({ length: 6 }, (_, device) => `dev-load-${device}`);
  const storedAfterKill = new Set((await Promise.all(devices.map(storedIds))).flat());
  const acked = sent.filter((batch) => acknowledged.has(batch.key));
  expect(acked.length).toBeGreaterThanOrEqual(30);
  for (const batch of acked) for (const id of batch.ids) expect(storedAfterKill.has(id)).toBe(true);
  // The batches in flight when it died: committed or not, they may be sent again anywhere.
  const unanswered = sent.filter((batch) => !acknowledged.has(batch.key));
  expect(unanswered.length).toBeGreaterThanOrEqual(1);
  // As a gate does: a connection that breaks is tried again (a kept-alive one may have just closed).
  const resend = async (batch: Batch): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      const answered = await post(second, batch).catch((error: unknown) => {
        if (attempt === 3) throw error;
        return undefined;
      });
      if (answered) return answered;
    }
  };
  for (const batch of unanswered) expect((await resend(batch)).status).toBe(200);

  const stored = (await Promise.all(devices.map(storedIds))).flat();
  expect(stored).toHaveLength(sent.length * 200);
  expect(new Set(stored).size).toBe(sent.length * 200);
});
