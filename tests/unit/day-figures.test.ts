import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { type DayTally, KadianDB } from '../../src/db/database';
import { RefusedWrite } from '../../src/db/errors';
import { saveRecords } from '../../src/db/records';
import { dayInput } from '../../src/db/report';
import { purgeOld } from '../../src/db/retention';
import { NOT_LEFT, nightsOf } from '../../src/db/visits';
import { DAY_MS, dayBounds, localDay } from '../../src/domain/day';
import { makeRecord } from '../../src/domain/make-record';
import { type KadianRecord, type RecordData, targetOf } from '../../src/domain/records';
import { emptyCounts } from '../../src/domain/roll-up';
import { LISTED_TALLIES, READ_TALLIES, tallyOf } from '../../src/domain/tally';
import { deviceConfig } from '../fixtures/device-config';

const databases: Dexie[] = [];
afterEach(async () => {
  while (databases.length) await databases.pop()?.delete();
});

const NOW = new Date('2026-11-29T18:00:00').getTime();

/** A replayable generator (xorshift). */
function generator(seed: number) {
  let state = seed || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    random,
    pick: <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T,
    chance: (p: number) => random() < p,
  };
}

/**
 * A random device history of 40 days at two checkpoints, in the order it was made: every kind of
 * record, voids of any kind of record (reports included), some records voided twice.
 */
function history(seed: number): KadianRecord[] {
  const { random, pick, chance } = generator(seed);
  const made: KadianRecord[] = [];
  let at = NOW - 40 * DAY_MS;
  const make = <K extends KadianRecord['kind']>(kind: K, data: RecordData<K>) => {
    at += 1 + Math.floor(random() * 3 * 3600 * 1000 * 0.2);
    const checkpoint = chance(0.5) ? 'lj-03' : 'zj-01';
    const result = makeRecord(
      {
        config: { ...deviceConfig, checkpoint: { id: checkpoint, name: checkpoint } },
        now: at,
        newId: () => crypto.randomUUID(),
      },
      kind,
      data,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    made.push(result.value);
    return result.value;
  };
  const ofKind = <K extends KadianRecord['kind']>(kind: K) =>
    made.filter((record): record is Extract<KadianRecord, { kind: K }> => record.kind === kind);
  while (at < NOW - DAY_MS) {
    const roll = random();
    if (roll < 0.35) {
      const denied = chance(0.2);
      make('pass-scan', {
        passId: `p-${Math.floor(random() * 20)}`,
        householdId: `hh-${Math.floor(random() * 10)}`,
        direction: chance(0.5) ? 'in' : 'out',
        ...(denied
          ? { verdict: 'denied' as const, reason: pick(['quota', 'expired', 'duplicate'] as const) }
          : { verdict: pick(['allowed', 'unverified'] as const) }),
      });
    } else if (roll < 0.55) {
      const fever = chance(0.2);
      const first = fever ? undefined : pick(ofKind('temperature').filter((t) => t.data.fever));
      const celsius = fever ? 38.2 : 36.6;
      make('temperature', {
        subject: { type: 'person' },
        celsius,
        method: 'forehead',
        fever,
        ...(first && chance(0.5) && { remeasureOf: first.id }),
      });
    } else if (roll < 0.62) {
      const fever = pick(ofKind('temperature').filter((t) => t.data.fever));
      if (fever) make('fever-follow-up', { temperatureId: fever.id, action: 'referred' });
    } else if (roll < 0.72) {
      make('visitor-in', {
        name: '王五',
        idType: 'none',
        from: { region: '长沙', keyArea: chance(0.1) },
        visiting: '3栋',
        purpose: '探亲',
      });
    } else if (roll < 0.78) {
      const visitor = pick(ofKind('visitor-in'));
      if (visitor) make('visitor-out', { visitorId: visitor.id });
    } else if (roll < 0.82) {
      make('shift', { action: chance(0.5) ? 'start' : 'end' });
    } else if (roll < 0.85) {
      make('daily-report', {
        date: localDay(at),
        place: {
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '龙阳小区',
        },
        counts: emptyCounts(),
        zero: true,
        volunteers: [{ name: '李红' }],
      });
    } else {
      // A void of anything but a void; now and then of a record voided already.
      const target = pick(made.filter((record) => record.kind !== 'void'));
      if (target) make('void', { targetId: target.id, reason: '更正' });
    }
  }
  return made;
}

/** The days' figures counted afresh from the records, as the rows should hold them. */
function recount(records: readonly KadianRecord[]): Map<string, DayTally> {
  const byId = new Map(records.map((record) => [record.id, record]));
  const rows = new Map<string, DayTally>();
  const row = (checkpointId: string, day: string) => {
    const key = `${checkpointId} ${day}`;
    const found = rows.get(key) ?? { checkpointId, day, tallies: {}, voided: {}, voidedIds: [] };
    rows.set(key, found);
    return found;
  };
  const voided = new Set<string>();
  for (const record of records) {
    const tallies = row(record.checkpointId, localDay(record.recordedAt)).tallies;
    tallies[tallyOf(record)] = (tallies[tallyOf(record)] ?? 0) + 1;
    const target = record.kind === 'void' ? byId.get(record.data.targetId) : undefined;
    if (!target || voided.has(target.id)) continue;
    voided.add(target.id);
    const day = row(target.checkpointId, localDay(target.recordedAt));
    day.voided[tallyOf(target)] = (day.voided[tallyOf(target)] ?? 0) + 1;
    if (LISTED_TALLIES.includes(tallyOf(target))) day.voidedIds.push(target.id);
  }
  return rows;
}

/** Who was inside at each day's end, counted afresh from the records (28 days' retention). */
function insideRecount(records: readonly KadianRecord[], checkpointId: string, date: string) {
  const [start, end] = dayBounds(date);
  const voided = new Set(records.flatMap((r) => (r.kind === 'void' ? [r.data.targetId] : [])));
  const left = new Set(
    records.flatMap((r) =>
      r.kind === 'visitor-out' && r.recordedAt <= end && !voided.has(r.id)
        ? [r.data.visitorId]
        : [],
    ),
  );
  return records
    .filter(
      (r) =>
        r.kind === 'visitor-in' &&
        r.checkpointId === checkpointId &&
        r.recordedAt >= start - 27 * DAY_MS &&
        r.recordedAt <= end &&
        !voided.has(r.id) &&
        !left.has(r.id),
    )
    .map((r) => r.id)
    .sort();
}

/** The same as the report reads it. */
async function insideRead(db: KadianDB, checkpointId: string, date: string) {
  return (await dayInput(db, checkpointId, date)).arrivals.map((record) => record.id).sort();
}

const sorted = (rows: Iterable<DayTally>) =>
  [...rows]
    .map((row) => ({ ...row, voidedIds: [...row.voidedIds].sort() }))
    .sort((a, b) => `${a.checkpointId} ${a.day}`.localeCompare(`${b.checkpointId} ${b.day}`));

/** Saves the records in random runs of 1 to 6, as a gate does over a day. */
async function saveInRuns(db: KadianDB, records: KadianRecord[], seed: number) {
  const { random } = generator(seed * 7 + 3);
  for (let i = 0; i < records.length; ) {
    const size = 1 + Math.floor(random() * 6);
    await saveRecords(db, records.slice(i, i + size));
    i += size;
  }
}

describe('the days’ figures kept as records are saved', () => {
  it.each([1, 2, 3, 5, 8, 13])(
    'equal a recount from the records after random saves, voids and a purge (seed %i)',
    async (seed) => {
      const records = history(seed);
      const db = new KadianDB(`figures-${crypto.randomUUID()}`);
      databases.push(db);
      await saveInRuns(db, records, seed);
      expect(sorted(await db.days.toArray())).toEqual(sorted(recount(records).values()));
      for (const back of [1, 5, 12])
        for (const checkpoint of ['lj-03', 'zj-01']) {
          const date = localDay(NOW - back * DAY_MS);
          expect(await insideRead(db, checkpoint, date)).toEqual(
            insideRecount(records, checkpoint, date),
          );
        }
      // The generator voided records twice, and across days.
      const voids = records.filter((record) => record.kind === 'void');
      expect(new Set(voids.map(targetOf)).size).toBeLessThan(voids.length);

      // Half of what was uploaded; then 28 days' retention: what went, went with its day's row.
      const { random } = generator(seed + 99);
      const sent = (await db.outbox.toArray()).filter(() => random() < 0.5);
      await db.outbox.bulkDelete(sent.map((entry) => entry.seq as number));
      const { purged } = await purgeOld(db, 28, NOW);
      expect(purged).toBeGreaterThan(0);
      const left = new Set((await db.records.toCollection().primaryKeys()) as string[]);
      const cut = localDay(NOW - 28 * DAY_MS);
      const kept = await db.days.toArray();
      // Within the retention nothing was purged: the rows still equal the recount.
      expect(sorted(kept.filter((row) => row.day > cut))).toEqual(
        sorted([...recount(records).values()].filter((row) => row.day > cut)),
      );
      // Older days keep a row exactly while they keep a record.
      for (const row of recount(records).values()) {
        if (row.day > cut) continue;
        const hasRecords = records.some(
          (record) =>
            left.has(record.id) &&
            record.checkpointId === row.checkpointId &&
            localDay(record.recordedAt) === row.day,
        );
        expect([
          row.day,
          kept.some((k) => k.day === row.day && k.checkpointId === row.checkpointId),
        ]).toEqual([row.day, hasRecords]);
      }
    },
  );

  it.each([21, 34])(
    'equal a recount when built by the upgrade from a version 1 database (seed %i)',
    async (seed) => {
      const records = history(seed);
      const name = `figures-v1-${crypto.randomUUID()}`;
      const v1 = new Dexie(name);
      v1.version(1).stores({
        records:
          'id, [checkpointId+day+recordedAt], [kind+recordedAt], targetId, [passId+recordedAt], [householdId+recordedAt]',
        outbox: '++seq, &recordId, [lane+seq]',
        meta: 'key',
      });
      await v1.table('records').bulkAdd(
        records.map((record) => ({
          id: record.id,
          kind: record.kind,
          checkpointId: record.checkpointId,
          day: localDay(record.recordedAt),
          recordedAt: record.recordedAt,
          targetId: targetOf(record),
          ...(record.kind === 'pass-scan' && {
            passId: record.data.passId,
            householdId: record.data.householdId,
          }),
          record,
          sync: 'sent',
        })),
      );
      v1.close();
      const db = new KadianDB(name);
      databases.push(db);
      expect(sorted(await db.days.toArray())).toEqual(sorted(recount(records).values()));
      const date = localDay(NOW - 3 * DAY_MS);
      expect(await insideRead(db, 'lj-03', date)).toEqual(insideRecount(records, 'lj-03', date));
      // The records each day's report reads in full, found through the index version 8 built.
      for (const day of new Set(records.map((record) => localDay(record.recordedAt)))) {
        const ids = (await dayInput(db, 'lj-03', day)).details.map((record) => record.id);
        const expected = records.filter(
          (record) =>
            record.checkpointId === 'lj-03' &&
            localDay(record.recordedAt) === day &&
            READ_TALLIES.includes(tallyOf(record)),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(ids.sort()).toEqual(expected.map((record) => record.id).sort());
      }
    },
  );

  it('refuses a void of a void with its reason, and saves nothing of the write', async () => {
    const db = new KadianDB(`figures-${crypto.randomUUID()}`);
    databases.push(db);
    const records = history(4);
    const upTo = records.findIndex((record) => record.kind === 'void');
    const target = records[upTo] as KadianRecord;
    await saveRecords(db, records.slice(0, upTo + 1));
    const before = await db.days.toArray();
    const ofVoid = makeRecord(
      { config: deviceConfig, now: NOW, newId: () => crypto.randomUUID() },
      'void',
      { targetId: target.id, reason: '作废错了' },
    );
    if (!ofVoid.ok) throw new Error('invalid');
    await expect(saveRecords(db, [ofVoid.value])).rejects.toEqual(new RefusedWrite('void-of-void'));
    expect(await db.records.get(ofVoid.value.id)).toBeUndefined();
    expect(await db.outbox.where('recordId').equals(ofVoid.value.id).count()).toBe(0);
    expect(await db.days.toArray()).toEqual(before);
  });
});

describe('the days at whose end a visitor was inside', () => {
  const at = (when: string) => new Date(when).getTime();
  const visit = (arrivedAt: number, leftAt: number) => ({
    id: 'v',
    checkpointId: 'lj-03',
    arrivedAt,
    departures: [],
    voided: false,
    leftAt,
  });
  it('are each day from the arrival’s up to the one left on, not that one', () => {
    expect(nightsOf(visit(at('2026-11-29T20:00:00'), at('2026-12-01T09:00:00')))).toEqual([
      ['lj-03', '2026-11-29'],
      ['lj-03', '2026-11-30'],
    ]);
    expect(nightsOf(visit(at('2026-11-29T08:00:00'), at('2026-11-29T23:59:59.999')))).toEqual([]);
    expect(nightsOf(visit(at('2026-11-29T08:00:00'), at('2026-11-30T00:00:00')))).toEqual([
      ['lj-03', '2026-11-29'],
    ]);
  });
  it('are none while the visitor is inside, or for a voided arrival', () => {
    expect(nightsOf(visit(at('2026-11-29T08:00:00'), NOT_LEFT))).toEqual([]);
    expect(nightsOf(visit(at('2026-11-29T08:00:00'), 0))).toEqual([]);
  });
});
