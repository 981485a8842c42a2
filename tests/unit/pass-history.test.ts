import { describe, expect, it } from 'vitest';
import type { KadianDB } from '../../src/db/database';
import { passHistory } from '../../src/db/passes';
import { saveRecords } from '../../src/db/records';
import { DAY_MS } from '../../src/domain/day';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData, RecordKind } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { freshDatabase } from '../fixtures/fresh-db';
import { random } from '../fixtures/random';

let db: KadianDB;
let sequence = 0;
const START = Date.parse('2026-11-20T08:00:00+08:00');

function record<K extends RecordKind>(kind: K, data: RecordData<K>, at: number) {
  sequence += 1;
  const made = makeRecord(
    {
      config: deviceConfig,
      now: at,
      newId: () => `0192f0a4-3b7d-7c35-9a51-${sequence.toString(16).padStart(12, '0')}`,
    },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

type Scan = RecordData<'pass-scan'>;
const scan = (data: Partial<Scan>, at: number) =>
  record(
    'pass-scan',
    { passId: 'p-1', householdId: 'hh-1', direction: 'out', verdict: 'allowed', ...data } as Scan,
    at,
  );
const voidOf = (target: KadianRecord, at: number) =>
  record('void', { targetId: target.id, reason: '扫错了' }, at);

const exitsSince = async (householdId: string, since: number) =>
  (
    await passHistory(db, {
      passId: 'p-0',
      direction: 'out',
      passagesSince: since,
      revocation: false,
      exits: { householdId, since },
    })
  ).exits;
const lastPassage = async (passId: string, direction: 'in' | 'out', since: number) =>
  (await passHistory(db, { passId, direction, passagesSince: since, revocation: false }))
    .lastPassage;

freshDatabase((fresh) => {
  db = fresh;
});

describe('a pass’s history', () => {
  it('answers what was asked: a revocation, and the exits only under a quota', async () => {
    await db.revocations.put({ passId: 'p-1', reason: '挂失', revokedAt: START });
    await saveRecords(db, [scan({}, START + 1)]);
    const question = { direction: 'out' as const, passagesSince: START };
    expect(await passHistory(db, { ...question, passId: 'p-1', revocation: true })).toEqual({
      revoked: true,
      exits: undefined,
      lastPassage: START + 1,
    });
    expect(await passHistory(db, { ...question, passId: 'p-1', revocation: false })).toEqual({
      revoked: false,
      exits: undefined,
      lastPassage: START + 1,
    });
    expect(
      await passHistory(db, {
        ...question,
        passId: 'p-2',
        revocation: true,
        exits: { householdId: 'hh-1', since: START },
      }),
    ).toEqual({ revoked: false, exits: 1, lastPassage: undefined });
  });
});

describe('exits and passages', () => {
  it('counts the household’s allowed exits from `since` on, each voided one taken off once', async () => {
    const before = scan({}, START);
    const kept = scan({}, START + DAY_MS);
    const voidedTwice = scan({}, START + DAY_MS + 1);
    const entry = scan({ direction: 'in' }, START + DAY_MS + 2);
    await saveRecords(db, [
      before,
      kept,
      voidedTwice,
      entry,
      scan({ verdict: 'denied', reason: 'quota' }, START + DAY_MS + 3),
      scan({ householdId: 'hh-2' }, START + DAY_MS + 4),
    ]);
    // An exit before the window voided inside it, one exit voided twice, an entry voided.
    await saveRecords(db, [
      voidOf(before, START + DAY_MS + 10),
      voidOf(voidedTwice, START + DAY_MS + 11),
    ]);
    await saveRecords(db, [
      voidOf(voidedTwice, START + DAY_MS + 12),
      voidOf(entry, START + DAY_MS + 13),
    ]);

    expect(await exitsSince('hh-1', START + DAY_MS)).toBe(1);
    expect(await exitsSince('hh-1', START + DAY_MS + 1)).toBe(0);
    expect(await exitsSince('hh-1', START)).toBe(1);
    expect(await exitsSince('hh-2', START)).toBe(1);
    expect(await exitsSince('hh-3', START)).toBe(0);
  });

  it('agrees with a recount of every record, over random scans and voids', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
      const saved: KadianRecord[] = [];
      let at = START;
      for (let i = 0; i < 120; i++) {
        at += Math.floor(next() * 3 * 3600_000);
        const scans = saved.filter((row) => row.kind === 'pass-scan');
        const made =
          scans.length > 0 && next() < 0.25
            ? voidOf(pick(scans), at)
            : scan(
                {
                  passId: pick(['p-1', 'p-2', 'p-3']),
                  householdId: pick(['hh-1', 'hh-2']),
                  direction: pick(['in', 'out'] as const),
                  ...pick([
                    { verdict: 'allowed' as const },
                    { verdict: 'unverified' as const },
                    { verdict: 'denied' as const, reason: 'quota' as const },
                  ]),
                },
                at,
              );
        saved.push(made);
        await saveRecords(db, [made]);
      }
      const voided = new Set(
        saved.flatMap((row) => (row.kind === 'void' ? [row.data.targetId] : [])),
      );
      const live = saved.filter(
        (row): row is Extract<KadianRecord, { kind: 'pass-scan' }> =>
          row.kind === 'pass-scan' && !voided.has(row.id),
      );
      for (let i = 0; i < 10; i++) {
        const since = START + Math.floor(next() * (at - START));
        const householdId = pick(['hh-1', 'hh-2']);
        expect(await exitsSince(householdId, since)).toBe(
          live.filter(
            (row) =>
              row.data.householdId === householdId &&
              row.data.direction === 'out' &&
              row.data.verdict === 'allowed' &&
              row.recordedAt >= since,
          ).length,
        );
        const passId = pick(['p-1', 'p-2', 'p-3']);
        const direction = pick(['in', 'out'] as const);
        expect(await lastPassage(passId, direction, since)).toBe(
          live
            .filter(
              (row) =>
                row.data.passId === passId &&
                row.data.direction === direction &&
                row.data.verdict !== 'denied' &&
                row.recordedAt >= since,
            )
            .at(-1)?.recordedAt,
        );
      }
      await db.records.clear();
    }
  });
});
