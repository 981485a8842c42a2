import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KadianDB, type StoredRecord } from '../../src/db/database';
import { freezeBatch, nextBatch, settleBatch, syncStates } from '../../src/db/outbox';
import { recordsOfDay, saveRecord, saveRecords, visitorsInside } from '../../src/db/records';
import { readReportDay } from '../../src/db/report';
import { readMeta, saveConfig, writeMeta } from '../../src/db/settings';
import { dayBounds } from '../../src/domain/day';
import { makeRecord, type RecordContext } from '../../src/domain/make-record';
import { KadianRecord, type RecordData, type RecordKind } from '../../src/domain/records';
import { LISTED_TALLIES, tallyOf } from '../../src/domain/tally';
import fixture from '../fixtures/db-v1.json';
import { deviceConfig } from '../fixtures/device-config';

let db: KadianDB;
let sequence = 0;

function record<K extends RecordKind>(kind: K, data: RecordData<K>, at: number) {
  sequence += 1;
  const context: RecordContext = {
    config: deviceConfig,
    now: at,
    newId: () => `0192f0a4-3b7d-7c35-9a51-${sequence.toString(16).padStart(12, '0')}`,
  };
  const made = makeRecord(context, kind, data);
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

const [dayStart, dayEnd] = dayBounds('2026-11-29');
const visitorData = {
  name: '王五',
  idType: 'none' as const,
  from: { region: '长沙', keyArea: false },
  visiting: '3栋501',
  purpose: '送药',
};

beforeEach(async () => {
  db = new KadianDB(`test-${crypto.randomUUID()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('saveRecords', () => {
  it('stores the record untouched beside its local fields and queues it', async () => {
    const scan = record(
      'pass-scan',
      { passId: 'p-1', householdId: 'hh-1', direction: 'in', verdict: 'unverified' },
      dayStart + 5,
    );
    await saveRecord(db, scan);
    expect(await db.records.get(scan.id)).toEqual({
      id: scan.id,
      kind: 'pass-scan',
      checkpointId: 'lj-03',
      day: '2026-11-29',
      recordedAt: dayStart + 5,
      targetId: undefined,
      passId: 'p-1',
      householdId: 'hh-1',
      tally: 'scan/in/unverified',
      record: scan,
    });
    expect(await db.outbox.toArray()).toEqual([
      {
        seq: 1,
        recordId: scan.id,
        lane: 1,
        record: scan,
        checkpointId: 'lj-03',
        day: '2026-11-29',
      },
    ]);
  });

  it('saves nothing of a batch when one record is already there (append-only)', async () => {
    const first = record('shift', { action: 'start' }, dayStart);
    await saveRecord(db, first);
    const second = record('shift', { action: 'end' }, dayStart + 1);
    await expect(saveRecords(db, [second, first])).rejects.toThrow();
    expect(await db.records.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.get(first.id))?.record).toEqual(first);
  });

  it('puts fevers and their follow-ups in the urgent lane', async () => {
    const normal = record(
      'temperature',
      { subject: { type: 'person' }, celsius: 36.5, method: 'forehead', fever: false },
      dayStart + 1,
    );
    const fever = record(
      'temperature',
      { subject: { type: 'person' }, celsius: 38.2, method: 'forehead', fever: true },
      dayStart + 2,
    );
    const followUp = record(
      'fever-follow-up',
      { temperatureId: fever.id, action: 'referred' },
      dayStart + 3,
    );
    await saveRecords(db, [normal, fever, followUp]);
    const order = await db.outbox.orderBy('[lane+seq]').toArray();
    expect(order.map((entry) => entry.recordId)).toEqual([fever.id, followUp.id, normal.id]);
  });
});

describe('freezeBatch and nextBatch', () => {
  it('freezes exactly a lane’s next records in queue order, also entries queued before they carried their records', async () => {
    const scan = (at: number): KadianRecord =>
      record(
        'pass-scan',
        { passId: `p-${at}`, householdId: 'hh-1', direction: 'in', verdict: 'unverified' },
        at,
      );
    const fever = (at: number): KadianRecord =>
      record(
        'temperature',
        { subject: { type: 'person' }, celsius: 38.2, method: 'forehead', fever: true },
        at,
      );
    // Records already sent.
    await saveRecords(
      db,
      Array.from({ length: 60 }, (_, i) => scan(dayStart + i)),
    );
    await db.outbox.clear();
    // Queued one by one, a fever every seventh.
    const made: KadianRecord[] = [];
    for (let i = 0; i < 40; i++) {
      made.push(i % 7 === 3 ? fever(dayStart + 100 + i) : scan(dayStart + 100 + i));
      await saveRecord(db, made.at(-1) as KadianRecord);
    }
    // Every third entry as an earlier version queued it (and version 10 filed it): no wire record.
    await db.outbox.toCollection().modify((entry) => {
      if ((entry.seq as number) % 3 === 0) delete entry.record;
    });
    expect(await db.outbox.filter((entry) => !entry.record).count()).toBe(13);
    const urgent = made.filter((_, i) => i % 7 === 3).map((made) => made.id);
    const usual = made.filter((_, i) => i % 7 !== 3).map((made) => made.id);

    // The usual lane first, while the fevers' entries still lie among its entries.
    const first = await freezeBatch(db, 1, 10, 'b-1', dayEnd);
    expect(first?.records.map((frozen) => frozen.id)).toEqual(usual.slice(0, 10));
    expect(await db.outbox.count()).toBe(30);
    // Then as a run sends them: urgent records first, then the frozen batch until it is answered.
    const sent: string[][] = [];
    for (let n = 0; ; n++) {
      const batch = await nextBatch(db, 10, () => `b-next-${n}`, dayEnd);
      if (!batch) break;
      sent.push(batch.records.map((record) => record.id));
      const answers = batch.records.map((record) => ({
        id: record.id,
        status: 'accepted' as const,
      }));
      await settleBatch(db, batch, answers, dayEnd);
    }
    expect(sent).toEqual([
      urgent,
      usual.slice(0, 10),
      usual.slice(10, 20),
      usual.slice(20, 30),
      usual.slice(30),
    ]);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.batches.count()).toBe(0);
    expect(await db.records.count()).toBe(100);
  });
});

describe('recordsOfDay', () => {
  it('gives one checkpoint’s day, newest first, with 23:59:59.999 inside and midnight outside', async () => {
    const before = record('shift', { action: 'start' }, dayStart - 1);
    const first = record('shift', { action: 'start' }, dayStart);
    const last = record('shift', { action: 'end' }, dayEnd);
    const after = record('shift', { action: 'start' }, dayEnd + 1);
    await saveRecords(db, [after, first, before, last]);
    const day = await recordsOfDay(db, 'lj-03', '2026-11-29');
    expect(day.map((stored) => stored.id)).toEqual([last.id, first.id]);
    expect(await recordsOfDay(db, 'other', '2026-11-29')).toEqual([]);
  });
});

describe('visitorsInside', () => {
  it('leaves out visitors who left and visitors whose entry was voided', async () => {
    const stays = record('visitor-in', { ...visitorData, name: '留下' }, dayStart + 1);
    const leaves = record('visitor-in', { ...visitorData, name: '离开' }, dayStart + 2);
    const mistaken = record('visitor-in', { ...visitorData, name: '录错' }, dayStart + 3);
    const yesterday = record('visitor-in', { ...visitorData, name: '昨天来' }, dayStart - 3600_000);
    await saveRecords(db, [
      stays,
      leaves,
      mistaken,
      yesterday,
      record('visitor-out', { visitorId: leaves.id }, dayStart + 10),
      record('void', { targetId: mistaken.id, reason: '重复登记' }, dayStart + 11),
    ]);
    const inside = await visitorsInside(db, 'lj-03');
    expect(inside.map((stored: StoredRecord) => stored.id)).toEqual([yesterday.id, stays.id]);
  });
});

describe('settings', () => {
  it('saves the configuration and its shift record together', async () => {
    const shift = record('shift', { action: 'start' }, dayStart);
    await saveConfig(db, deviceConfig, { shiftRecords: [shift] });
    expect(await readMeta(db, 'config')).toEqual(deviceConfig);
    expect((await db.records.get(shift.id))?.record).toEqual(shift);
    await expect(
      saveConfig(db, { ...deviceConfig, deviceName: '改名' }, { shiftRecords: [shift] }),
    ).rejects.toThrow();
    expect((await readMeta(db, 'config'))?.deviceName).toBe('北门手机');
  });

  it('keeps drafts by name', async () => {
    await writeMeta(db, 'draft:visitor', { name: '王' });
    expect(await readMeta(db, 'draft:visitor')).toEqual({ name: '王' });
    expect(await readMeta(db, 'lang')).toBeUndefined();
  });
});

describe('the version 1 fixture', () => {
  // The shipped version 1 schema, frozen here so later versions can be tested upgrading from it.
  const V1_STORES = {
    records:
      'id, [checkpointId+day+recordedAt], [kind+recordedAt], targetId, [passId+recordedAt], [householdId+recordedAt]',
    outbox: '++seq, &recordId, [lane+seq]',
    meta: 'key',
  };

  it('upgrades to the current schema with every record found and valid', async () => {
    const name = `fixture-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(V1_STORES);
    await v1.table('records').bulkAdd(fixture.tables.records);
    await v1.table('outbox').bulkAdd(fixture.tables.outbox);
    await v1.table('meta').bulkAdd(fixture.tables.meta);
    v1.close();

    const current = new KadianDB(name);
    const records = await current.records.orderBy('[checkpointId+day+recordedAt]').toArray();
    expect(records).toHaveLength(13);
    expect(records.map((stored) => stored.id)).toEqual(fixture.tables.records.map((row) => row.id));
    for (const stored of records) expect(KadianRecord.safeParse(stored.record).success).toBe(true);
    expect(await current.outbox.count()).toBe(13);
    expect((await recordsOfDay(current, 'lj-03', '2026-11-29')).length).toBe(
      fixture.tables.records.filter((row) => row.day === '2026-11-29').length,
    );
    expect((await readMeta(current, 'config'))?.checkpoint.id).toBe('lj-03');
    // Version 2: records lose version 1's sync field; their state is derived, all still pending.
    expect(current.verno).toBe(10);
    expect(records.filter((stored) => 'sync' in stored)).toEqual([]);
    const states = await syncStates(
      current,
      records.map((stored) => stored.id),
    );
    expect(new Set([...states.values()].map((state) => state.state))).toEqual(new Set(['pending']));
    expect(await current.batches.count()).toBe(0);
    expect(await current.rejections.count()).toBe(0);
    expect(await current.revocations.count()).toBe(0);
    // Version 3: every record carries its tally, for the daily report's index.
    expect(records.map((stored) => stored.tally)).toEqual(
      fixture.tables.records.map((row) => tallyOf(row.record as KadianRecord)),
    );
    // Version 4: each checkpoint-day's figures in one row, counted from the records, voids taken off.
    type Figures = {
      tallies: Record<string, number>;
      voided: Record<string, number>;
      voidedIds: string[];
    };
    const expected = new Map<string, Figures>();
    const figuresOf = (day: string) => {
      const row = expected.get(day) ?? { tallies: {}, voided: {}, voidedIds: [] };
      expected.set(day, row);
      return row;
    };
    const byId = new Map(records.map((stored) => [stored.id, stored]));
    for (const stored of records) {
      const { tallies } = figuresOf(stored.day);
      tallies[stored.tally] = (tallies[stored.tally] ?? 0) + 1;
      const target = stored.kind === 'void' ? byId.get(stored.targetId ?? '') : undefined;
      if (!target) continue;
      const { voided, voidedIds } = figuresOf(target.day);
      voided[target.tally] = (voided[target.tally] ?? 0) + 1;
      if (LISTED_TALLIES.includes(target.tally)) voidedIds.push(target.id);
    }
    expect(await current.days.toArray()).toEqual(
      [...expected].sort().map(([day, row]) => ({ checkpointId: 'lj-03', day, ...row })),
    );
    // The fixture's void is counted off its target's day.
    expect([...expected.values()].filter((row) => Object.keys(row.voided).length > 0)).toHaveLength(
      1,
    );
    // Version 5: each visitor's stay, from the arrivals and their departures.
    const departure = records.find((stored) => stored.kind === 'visitor-out');
    expect((await current.visits.toArray()).sort((a, b) => a.arrivedAt - b.arrivedAt)).toEqual(
      records
        .filter((stored) => stored.kind === 'visitor-in')
        .sort((a, b) => a.recordedAt - b.recordedAt)
        .map((stored) => ({
          id: stored.id,
          checkpointId: 'lj-03',
          arrivedAt: stored.recordedAt,
          departures:
            departure?.targetId === stored.id
              ? [{ id: departure.id, at: departure.recordedAt }]
              : [],
          voided: false,
          leftAt:
            departure?.targetId === stored.id ? departure.recordedAt : Number.MAX_SAFE_INTEGER,
          // Version 8: both came in on the 29th; one left that morning, one is still inside.
          nights: [],
        })),
    );
    // Version 8: the scan's void is filed under the scan's pass and household.
    const scanVoids = records.filter((stored) => stored.kind === 'void');
    expect(scanVoids.map(({ passId, householdId }) => ({ passId, householdId }))).toEqual([
      { passId: 'a1b2c3d4-000123', householdId: 'hh-0042' },
    ]);
    // Version 9: the household's records by tally, built from the rows as they were.
    expect(
      await current.records
        .where('[householdId+tally+recordedAt]')
        .between(['hh-0042', ''], ['hh-0042', '\uffff'])
        .primaryKeys(),
    ).toEqual([
      records.find((stored) => stored.kind === 'pass-scan' && stored.householdId)?.id,
      scanVoids[0]?.id,
    ]);
    // Version 10: each queue entry under its record's checkpoint-day, as stored; the report counts
    // a day's unsent records by them.
    expect(
      (await current.outbox.orderBy('seq').toArray()).map(({ recordId, checkpointId, day }) => ({
        recordId,
        checkpointId,
        day,
      })),
    ).toEqual(
      fixture.tables.outbox.map(({ recordId }) => {
        const row = fixture.tables.records.find((stored) => stored.id === recordId);
        return { recordId, checkpointId: row?.checkpointId, day: row?.day };
      }),
    );
    const days = [...new Set(fixture.tables.records.map((row) => row.day))];
    expect(days.length).toBeGreaterThan(1);
    for (const day of days)
      expect([day, (await readReportDay(current, 'lj-03', day)).unsent]).toEqual([
        day,
        fixture.tables.records.filter((row) => row.day === day).length,
      ]);
    await current.delete();
  });
});

describe('saveRevocations', () => {
  it('keeps a pulled revocation’s reason when the office’s list (which has none) is imported', async () => {
    const { saveRevocations } = await import('../../src/db/outbox');
    await saveRevocations(db, [{ passId: 'p-1', reason: '挂失', revokedAt: 1000 }]);
    await saveRevocations(db, [
      { passId: 'p-1', reason: '', revokedAt: 2000 },
      { passId: 'p-2', reason: '', revokedAt: 2000 },
    ]);
    expect(await db.revocations.orderBy('passId').toArray()).toEqual([
      { passId: 'p-1', reason: '挂失', revokedAt: 2000 },
      { passId: 'p-2', reason: '', revokedAt: 2000 },
    ]);
  });
});
