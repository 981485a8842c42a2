import { afterEach, describe, expect, it } from 'vitest';
import { KadianDB } from '../../src/db/database';
import { feversPending } from '../../src/db/fevers';
import { saveRecords, watch } from '../../src/db/records';
import type { Of } from '../../src/domain/daily-summary';
import { pendingFevers } from '../../src/domain/fever-pending';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';

const at = (time: string) => new Date(`2026-11-${time}`).getTime();
function make<K extends KadianRecord['kind']>(kind: K, time: string, data: RecordData<K>) {
  const made = makeRecord(
    { config: deviceConfig, now: at(time), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error('invalid');
  return made.value as Of<K>;
}
const reading = (time: string, celsius: number, remeasureOf?: Of<'temperature'>) =>
  make('temperature', time, {
    subject: { type: 'pass', ref: 'a1b2c3d4-000001' },
    celsius,
    method: 'forehead',
    fever: celsius >= 37.3,
    ...(remeasureOf && { remeasureOf: remeasureOf.id }),
  });
const followUp = (
  time: string,
  of: Of<'temperature'>,
  action: Of<'fever-follow-up'>['data']['action'],
) => make('fever-follow-up', time, { temperatureId: of.id, action });

describe('pendingFevers', () => {
  const fever = reading('28T08:00', 38.1);
  const again = reading('28T08:02', 38.0, fever);
  const normal = reading('28T08:02', 36.6, fever);

  it.each([
    ['a fever with nothing recorded', [fever], [], [fever.id]],
    ['a fever only re-measured', [fever], [followUp('28T08:01', fever, 're-measured')], [fever.id]],
    ['a fever re-measured as a fever', [fever, again], [], [fever.id]],
    ['a fever referred', [fever], [followUp('28T08:01', fever, 'referred')], []],
    ['a re-measured fever isolated', [fever, again], [followUp('28T08:03', again, 'isolated')], []],
    ['a fever normal when re-measured', [fever, normal], [], []],
    ['a normal reading', [reading('28T08:00', 36.5)], [], []],
  ] as const)('%s: pending %j', (_, readings, followUps, expected) => {
    const pending = pendingFevers([...readings], [...followUps]);
    expect(pending.map(({ first }) => first.id)).toEqual(expected);
    if (expected.length) expect(pending[0]?.last.id).toBe(readings.at(-1)?.id);
  });

  it('counts a follow-up on the first reading when it was read without it', () => {
    expect(pendingFevers([again], [followUp('28T08:03', fever, 'referred')])).toEqual([]);
  });
});

describe('feversPending', () => {
  let db: KadianDB;
  afterEach(() => db?.delete());

  it('reads the last 24 hours across midnight, without voided readings or follow-ups', async () => {
    db = new KadianDB(`fevers-${crypto.randomUUID()}`);
    const tooOld = reading('27T07:59', 38.5);
    const lastNight = reading('27T23:30', 38.2);
    const referred = reading('28T00:10', 37.9);
    const voidedReading = reading('28T01:00', 39.0);
    const voidedReferral = reading('28T02:00', 38.4);
    const referral = followUp('28T02:01', voidedReferral, 'referred');
    const elsewhere = { ...reading('28T03:00', 38.8), checkpointId: 'lj-99' } as KadianRecord;
    await saveRecords(db, [
      tooOld,
      lastNight,
      referred,
      followUp('28T00:11', referred, 'referred'),
      voidedReading,
      make('void', '28T01:05', { targetId: voidedReading.id, reason: '测错了' }),
      voidedReferral,
      referral,
      make('void', '28T02:05', { targetId: referral.id, reason: '点错了' }),
      elsewhere,
    ]);
    const pending = await feversPending(db, deviceConfig.checkpoint.id, at('28T08:00'));
    expect(pending.map(({ first }) => first.id)).toEqual([lastNight.id, voidedReferral.id]);
  });

  it('wakes a live query for fevers and their follow-ups, not for every pass scanned', async () => {
    db = new KadianDB(`fevers-${crypto.randomUUID()}`);
    const seen: number[] = [];
    let runs = 0;
    const stop = watch(
      () => {
        runs += 1;
        return feversPending(db, deviceConfig.checkpoint.id, at('28T08:00'));
      },
      (pending) => seen.push(pending.length),
      (error) => {
        throw error;
      },
    );
    await expect.poll(() => seen).toEqual([0]);
    // (Opening the database runs a query once more.)
    await expect.poll(() => runs).toBe(2);
    await saveRecords(
      db,
      Array.from({ length: 5 }, (_, i) =>
        make('pass-scan', `28T07:0${i}`, {
          passId: `a1b2c3d4-00000${i}`,
          householdId: 'hh-1',
          direction: 'in',
          verdict: 'unverified',
        }),
      ),
    );
    // A scan saved on its own (the gate's own path, written natively) wakes it no more.
    await saveRecords(db, [
      make('pass-scan', '28T07:06', {
        passId: 'a1b2c3d4-000006',
        householdId: 'hh-1',
        direction: 'out',
        verdict: 'allowed',
      }),
    ]);
    // A fever after the scans: the query runs once more, for the fever alone.
    await saveRecords(db, [reading('28T07:30', 38.6)]);
    await expect.poll(() => seen.at(-1)).toBe(1);
    expect(runs).toBe(3);
    stop();
  });
});
