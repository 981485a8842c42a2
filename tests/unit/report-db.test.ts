import { afterEach, describe, expect, it } from 'vitest';
import { type FrozenBatch, KadianDB } from '../../src/db/database';
import { freezeBatch, settleBatch } from '../../src/db/outbox';
import { saveRecords, saveScan, visitorsInside } from '../../src/db/records';
import { dayInput, readReportDay } from '../../src/db/report';
import { summarizeDay } from '../../src/domain/daily-summary';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData, RecordOfKind } from '../../src/domain/records';
import { dayOfRecords } from '../fixtures/day-of-records';
import { deviceConfig } from '../fixtures/device-config';

const night = { ...deviceConfig, volunteer: { name: '王小明' } };
let db: KadianDB;
afterEach(() => db?.delete());

function make<K extends KadianRecord['kind']>(
  kind: K,
  time: string,
  data: RecordData<K>,
  config = night,
) {
  const made = makeRecord(
    { config, now: new Date(`2026-11-${time}`).getTime(), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
}

describe('dayInput', () => {
  it.each([3, 8, 13, 21])(
    'gives a generated day’s counts, its records saved one by one or all at once (seed %i)',
    async (seed) => {
      const day = dayOfRecords(seed);
      for (const oneByOne of [true, false]) {
        db = new KadianDB(`report-${crypto.randomUUID()}`);
        if (oneByOne) for (const record of day.records) await saveRecords(db, [record]);
        else await saveRecords(db, day.records);
        const summary = summarizeDay(await dayInput(db, 'lj-03', day.date, '湘J'));
        expect(summary.counts).toEqual(day.expected.counts);
        expect(summary.zero).toBe(day.expected.zero);
        await db.delete();
      }
    },
  );

  it('counts as still inside everyone the visitors screen lists: came within the retention, not signed out', async () => {
    db = new KadianDB(`report-${crypto.randomUUID()}`);
    const visitor = (time: string, name: string) =>
      make('visitor-in', time, {
        name,
        idType: 'none',
        from: { region: '长沙', keyArea: false },
        visiting: '3栋501',
        purpose: '探亲',
      });
    const stayed = visitor('25T10:00:00', '三天前来');
    const left = visitor('25T11:00:00', '三天前来已走');
    const yesterday = visitor('27T09:00:00', '昨天来');
    const today = visitor('28T09:00:00', '今天来');
    const tooOld = visitor('01T09:00:00', '超过保留期');
    await saveRecords(db, [
      tooOld,
      stayed,
      left,
      make('visitor-out', '26T08:00:00', { visitorId: left.id }),
      yesterday,
      today,
    ]);
    const summary = summarizeDay(await dayInput(db, 'lj-03', '2026-11-28', undefined, 14));
    expect(summary.counts.visitorsStillInside).toBe(3);
    expect(summary.visitorsInside.map((inside) => inside.name)).toEqual([
      '三天前来',
      '昨天来',
      '今天来',
    ]);
    const listed = await visitorsInside(db, 'lj-03');
    expect(listed.map((stored) => stored.record.id)).toEqual([
      tooOld.id,
      stayed.id,
      yesterday.id,
      today.id,
    ]);
  });

  it('counts the night shift that began the day before among the day’s volunteers', async () => {
    db = new KadianDB(`report-${crypto.randomUUID()}`);
    const scan = make('pass-scan', '28T01:00:00', {
      passId: 'p-1',
      householdId: 'hh-1',
      direction: 'in',
      verdict: 'unverified',
    });
    await saveRecords(db, [make('shift', '27T22:00:00', { action: 'start' }), scan]);
    const summary = summarizeDay(await dayInput(db, 'lj-03', '2026-11-28'));
    expect(summary.volunteers).toEqual([{ name: '王小明' }]);
    expect(summary.counts.passesIn).toBe(1);
    // Once the shift ended before the day, nobody is on duty from it.
    await saveRecords(db, [make('shift', '27T23:00:00', { action: 'end' })]);
    expect(summarizeDay(await dayInput(db, 'lj-03', '2026-11-29')).volunteers).toEqual([]);
  });

  it('takes a record voided on a later day out of its own day’s figures', async () => {
    db = new KadianDB(`report-${crypto.randomUUID()}`);
    const scan = make('pass-scan', '28T10:00:00', {
      passId: 'p-1',
      householdId: 'hh-1',
      direction: 'out',
      verdict: 'allowed',
    });
    await saveRecords(db, [scan]);
    expect(summarizeDay(await dayInput(db, 'lj-03', '2026-11-28')).counts.passesOut).toBe(1);
    await saveRecords(db, [make('void', '29T08:00:00', { targetId: scan.id, reason: '扫错了' })]);
    expect(summarizeDay(await dayInput(db, 'lj-03', '2026-11-28')).counts.passesOut).toBe(0);
    // Voided twice (two volunteers corrected the same mistake): taken off once.
    await saveRecords(db, [make('void', '29T08:05:00', { targetId: scan.id, reason: '重复作废' })]);
    const twice = await dayInput(db, 'lj-03', '2026-11-28');
    expect(twice.voidedTallies).toEqual(new Map([['scan/out/allowed', 1]]));
    expect(summarizeDay(twice).counts.passesOut).toBe(0);
    // A void and its target saved together are filed the same way.
    const second = make('pass-scan', '28T11:00:00', {
      passId: 'p-2',
      householdId: 'hh-2',
      direction: 'out',
      verdict: 'allowed',
    });
    await saveRecords(db, [
      second,
      make('void', '28T11:01:00', { targetId: second.id, reason: '重复' }),
    ]);
    expect(summarizeDay(await dayInput(db, 'lj-03', '2026-11-28')).counts.passesOut).toBe(0);
  });
});

describe('readReportDay', () => {
  it('counts the day’s records not yet sent, queued or in a batch in flight, and no other day’s, checkpoint’s or sent record', async () => {
    db = new KadianDB(`report-${crypto.randomUUID()}`);
    const scan = (time: string, config = night) =>
      make(
        'pass-scan',
        time,
        { passId: 'p-1', householdId: 'hh-1', direction: 'in', verdict: 'unverified' },
        config,
      );
    const unsent = async () => (await readReportDay(db, 'lj-03', '2026-11-28')).unsent;
    expect(await unsent()).toBe(0);
    const dayBefore = [scan('27T10:00:00'), scan('27T11:00:00')];
    const ofDay = ['28T08:00:00', '28T09:00:00', '28T10:00:00', '28T11:00:00'].map((time) =>
      scan(time),
    );
    const elsewhere = scan('28T08:30:00', {
      ...night,
      checkpoint: { id: 'lj-04', name: '龙阳小区南门' },
    });
    await saveRecords(db, [...dayBefore, ...ofDay.slice(0, 3), elsewhere]);
    // A scan is saved on the gate's own path.
    await saveScan(db, ofDay[3] as RecordOfKind<'pass-scan'>);
    expect(await unsent()).toBe(4);
    expect((await readReportDay(db, 'lj-03', '2026-11-27')).unsent).toBe(2);
    expect((await readReportDay(db, 'lj-04', '2026-11-28')).unsent).toBe(1);

    // Frozen into a batch in flight: the two of the day before and two of the day.
    const batch = await freezeBatch(db, 1, 4, 'batch-1', Date.now());
    expect(batch?.records.map((record) => record.id)).toEqual([
      ...dayBefore.map((record) => record.id),
      ofDay[0]?.id,
      ofDay[1]?.id,
    ]);
    expect(await unsent()).toBe(4);
    // One of the day's answered (an adapter sending one request per record): it is sent.
    const rest = await settleBatch(
      db,
      batch as FrozenBatch,
      [{ id: ofDay[0]?.id ?? '', status: 'accepted' }],
      Date.now(),
    );
    expect(await unsent()).toBe(3);
    await settleBatch(
      db,
      rest as FrozenBatch,
      (rest as FrozenBatch).records.map((record) => ({ id: record.id, status: 'accepted' })),
      Date.now(),
    );
    expect(await unsent()).toBe(2);
    expect((await readReportDay(db, 'lj-03', '2026-11-27')).unsent).toBe(0);
  });
});
