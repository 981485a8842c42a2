import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { emptyCounts, openFevers } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { generated, start } from '../fixtures/fever-records';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const DAY = 24 * 3600 * 1000;

async function upload(records: KadianRecord[]) {
  for (let i = 0; i < records.length; i += 500) {
    const key = crypto.randomUUID();
    const response = await fetch(`${receiver.endpoint}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({
        deviceId: 'dev-0001',
        batchId: key,
        frozenAt: 1,
        records: records.slice(i, i + 500),
      }),
    });
    expect(response.status).toBe(200);
  }
}

const everyRecord = async (store: Store, date: string) =>
  openFevers(
    date,
    await store.recordsOfKinds(
      ['temperature', 'fever-follow-up', 'void'],
      0,
      Number.MAX_SAFE_INTEGER,
    ),
  );

describe('the roll-up’s open fevers', () => {
  it.each([1, 7, 42])(
    'equal a recount from every stored record, each day (seed %i)',
    async (seed) => {
      receiver = await startReceiver();
      await upload(generated(seed));
      let open = 0;
      for (let day = 0; day < 14; day++) {
        const date = new Date(start + day * DAY + 12 * 3600 * 1000).toISOString().slice(0, 10);
        const rolled = await (
          await fetch(`${receiver.endpoint}/reports/daily?date=${date}`)
        ).json();
        expect(rolled.openFevers).toEqual(await everyRecord(receiver.store, date));
        open += rolled.openFevers.length;
      }
      // The generator made open fevers to find, on most days.
      expect(open).toBeGreaterThan(50);
    },
  );
});

describe('the roll-up’s totals', () => {
  it.each([2, 9])(
    'equal a recount from the stored reports: each device’s latest report not voided (seed %i)',
    async (seed) => {
      receiver = await startReceiver();
      let state = seed;
      const random = () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
      const date = '2026-11-28';
      const reports: KadianRecord[] = [];
      const voids: KadianRecord[] = [];
      for (let i = 0; i < 60; i++) {
        const device = `dev-${Math.floor(random() * 8)}`;
        const made = makeRecord(
          {
            config: {
              ...deviceConfig,
              deviceId: device,
              checkpoint: { id: `cp-${device}`, name: device },
            },
            now: new Date('2026-11-28T20:00:00').getTime() + i * 60_000,
            newId: () => crypto.randomUUID(),
          },
          'daily-report',
          {
            date,
            place: {
              county: '汉寿县',
              township: '龙阳街道',
              community: '东岳社区',
              courtyard: '小区',
            },
            counts: {
              ...emptyCounts(),
              passesIn: Math.floor(random() * 100),
              fevers: Math.floor(random() * 3),
            },
            zero: false,
            volunteers: [{ name: '李红' }],
          },
        );
        if (!made.ok) throw new Error('invalid');
        reports.push(made.value);
        if (random() < 0.3) {
          const voided = makeRecord(
            {
              config: deviceConfig,
              now: made.value.recordedAt + 1,
              newId: () => crypto.randomUUID(),
            },
            'void',
            { targetId: made.value.id, reason: '重报' },
          );
          if (voided.ok) voids.push(voided.value);
        }
      }
      await upload([...reports, ...voids]);
      const voided = new Set(voids.map((record) => (record.data as { targetId: string }).targetId));
      const latest = new Map<string, KadianRecord>();
      for (const report of reports) if (!voided.has(report.id)) latest.set(report.deviceId, report);
      const expected = { passesIn: 0, fevers: 0 };
      for (const report of latest.values()) {
        const counts = (report.data as { counts: { passesIn: number; fevers: number } }).counts;
        expected.passesIn += counts.passesIn;
        expected.fevers += counts.fevers;
      }
      const day = await (await fetch(`${receiver.endpoint}/reports/daily?date=${date}`)).json();
      expect([day.totals.passesIn, day.totals.fevers, day.reported]).toEqual([
        expected.passesIn,
        expected.fevers,
        latest.size,
      ]);
      expect(voided.size).toBeGreaterThan(5);
    },
  );
});
