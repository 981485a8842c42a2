import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../server/store';
import { validate } from '../../server/validate';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { emptyCounts, openFevers } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const DAY = 24 * 3600 * 1000;
const start = new Date('2026-11-16T00:00:00').getTime();

/** A seeded day-by-day mix of readings, re-measurements, follow-ups and voids at two gates. */
function generated(seed: number): KadianRecord[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const records: KadianRecord[] = [];
  const make = <K extends KadianRecord['kind']>(kind: K, at: number, data: RecordData<K>) => {
    const gate = random() < 0.5 ? 'lj-03' : 'zj-01';
    const made = makeRecord(
      {
        config: { ...deviceConfig, checkpoint: { id: gate, name: gate } },
        now: at,
        newId: () => crypto.randomUUID(),
      },
      kind,
      data,
    );
    if (!made.ok) throw new Error(JSON.stringify(made.issues));
    records.push(made.value);
    return made.value;
  };
  for (let i = 0; i < 600; i++) {
    const at = start + Math.floor(random() * 14 * DAY);
    const celsius = random() < 0.15 ? 37.3 + Math.floor(random() * 20) / 10 : 36.5;
    const reading = make('temperature', at, {
      subject: { type: 'visitor', name: '张三丰' },
      celsius,
      method: 'forehead',
      fever: celsius >= 37.3,
    });
    if (!reading.data.fever) {
      if (random() < 0.02) make('void', at + 1000, { targetId: reading.id, reason: '测错了' });
      continue;
    }
    const next = random();
    if (next < 0.3) {
      const again = random() < 0.5 ? 36.8 : 37.8;
      make('temperature', at + 60_000, {
        subject: { type: 'visitor', name: '张三丰' },
        celsius: again,
        method: 'forehead',
        fever: again >= 37.3,
        remeasureOf: reading.id,
      });
    } else if (next < 0.6) {
      const action = random() < 0.5 ? 'referred' : 'isolated';
      const followUp = make('fever-follow-up', at + Math.floor(random() * 3 * DAY), {
        temperatureId: reading.id,
        action,
      });
      if (random() < 0.2)
        make('void', followUp.recordedAt + 1000, { targetId: followUp.id, reason: '点错' });
    } else if (next < 0.7) {
      make('void', at + 5000, { targetId: reading.id, reason: '测错了' });
    }
  }
  return records;
}

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

const everyRecord = (store: Store, date: string) =>
  openFevers(
    date,
    store.recordsOfKinds(['temperature', 'fever-follow-up', 'void'], 0, Number.MAX_SAFE_INTEGER),
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
        expect(rolled.openFevers).toEqual(everyRecord(receiver.store, date));
        open += rolled.openFevers.length;
      }
      // The generator made open fevers to find, on most days.
      expect(open).toBeGreaterThan(50);
    },
  );

  it('are found in a file the receiver kept before it marked them at arrival', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kadian-lane-')), 'kadian.sqlite');
    const before = new Store(file);
    before.commitBatch('k', '{}', 'dev-0001', generated(3).map(validate), Date.now());
    before.close();
    const old = new Database(file);
    old.exec('DROP INDEX records_fever_lane; ALTER TABLE records DROP COLUMN fever_lane');
    old.close();
    const store = new Store(file);
    expect(store.feverLane(0, Number.MAX_SAFE_INTEGER).length).toBeGreaterThan(50);
    expect(openFevers('2026-11-29', store.feverLane(0, Number.MAX_SAFE_INTEGER))).toEqual(
      everyRecord(store, '2026-11-29'),
    );
    store.close();
    rmSync(dirname(file), { recursive: true, force: true });
  });
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
