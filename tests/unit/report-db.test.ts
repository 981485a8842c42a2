import { afterEach, describe, expect, it } from 'vitest';
import { KadianDB } from '../../src/db/database';
import { saveRecords, visitorsInside } from '../../src/db/records';
import { dayInput } from '../../src/db/report';
import { summarizeDay } from '../../src/domain/daily-summary';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { dayOfRecords } from '../fixtures/day-of-records';
import { deviceConfig } from '../fixtures/device-config';

const night = { ...deviceConfig, volunteer: { name: '王小明' } };
let db: KadianDB;
afterEach(() => db?.delete());

function make<K extends KadianRecord['kind']>(kind: K, time: string, data: RecordData<K>) {
  const made = makeRecord(
    { config: night, now: new Date(`2026-11-${time}`).getTime(), newId: () => crypto.randomUUID() },
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
