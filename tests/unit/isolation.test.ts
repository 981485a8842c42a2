import { describe, expect, it } from 'vitest';
import {
  type Isolation,
  isolationCounts,
  isolationState,
  isolationsOf,
  isSymptomatic,
  lastDay,
  mayRelease,
  missedDays,
  missedTwoDaysRunning,
} from '../../src/domain/isolation';
import { checkInData, everyoneSame, type Symptom } from '../../src/domain/isolation-draft';
import { makeRecord } from '../../src/domain/make-record';
import { withoutPersonalData } from '../../src/domain/mask';
import type { KadianRecord, RecordData, RecordKind, RecordOfKind } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';

const RULES = { checkInsPerDay: 2, cutoff: '20:00', days: 14, feverThreshold: 37.3 };
let serial = 0;
const at = (day: number, time: string) =>
  new Date(`2026-12-${String(day).padStart(2, '0')}T${time}`).getTime();

function make<K extends RecordKind>(kind: K, now: number, data: RecordData<K>): RecordOfKind<K> {
  const made = makeRecord(
    {
      config: deviceConfig,
      now,
      newId: () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`,
    },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value as RecordOfKind<K>;
}

/** A household of three, in isolation from 1 December for 14 days. */
function household(): Isolation {
  return {
    start: make('isolation-start', at(1, '10:00:00'), {
      address: '5栋1单元101',
      members: [
        { name: '张三丰', idType: 'resident', idNumber: '11010519491231002X' },
        { name: '张翠山' },
        { name: '殷素素' },
      ],
      phone: '13912345678',
      startDay: '2026-12-01',
      days: 14,
      reason: '密切接触者',
      responsible: { checkpointId: deviceConfig.checkpoint.id, volunteer: '李红' },
    }),
    checkIns: [],
    extensions: [],
  };
}

/** A check-in made through the form's rules: everyone as the first member. */
const checkIn = (isolation: Isolation, now: number, celsius = '36.5', symptoms: Symptom[] = []) =>
  make(
    'isolation-check-in',
    now,
    checkInData(
      isolation.start.id,
      everyoneSame({
        how: 'door',
        reporter: '张三丰',
        readings: [
          { celsius, symptoms },
          { celsius: '', symptoms: [] },
          { celsius: '', symptoms: [] },
        ],
      }),
      RULES.feverThreshold,
    ),
  );

describe('home isolation, day by day', () => {
  it('runs 14 days: due, done, missed only after the cutoff, release due at the end, needing the last day’s check-in', () => {
    const isolation = household();
    expect(lastDay(isolation)).toBe('2026-12-14');
    // Day 1: due until two check-ins are made; the day's first one at 10:30.
    expect(isolationState(isolation, at(1, '10:15:00'), RULES)).toBe('due');
    isolation.checkIns.push(checkIn(isolation, at(1, '10:30:00')));
    expect(isolationState(isolation, at(1, '12:00:00'), RULES)).toBe('due');
    isolation.checkIns.push(checkIn(isolation, at(1, '18:00:00')));
    expect(isolationState(isolation, at(1, '18:01:00'), RULES)).toBe('done');
    // Day 2 with no check-in: due before the cutoff, missed from it.
    expect(isolationState(isolation, at(2, '19:59:59'), RULES)).toBe('due');
    expect(missedDays(isolation, at(2, '19:59:59'), RULES)).toEqual([]);
    expect(isolationState(isolation, at(2, '20:00:00'), RULES)).toBe('missed');
    expect(missedDays(isolation, at(2, '20:00:00'), RULES)).toEqual(['2026-12-02']);
    expect(missedTwoDaysRunning(isolation, at(3, '21:00:00'), RULES)).toBe(true);
    expect(missedTwoDaysRunning(isolation, at(3, '19:00:00'), RULES)).toBe(false);
    // Every later day checked in once, the last included.
    for (let day = 3; day <= 14; day++)
      isolation.checkIns.push(checkIn(isolation, at(day, '09:00:00')));
    expect(missedDays(isolation, at(15, '09:00:00'), RULES)).toEqual(['2026-12-02']);
    expect(isolationState(isolation, at(14, '09:30:00'), RULES)).toBe('release-due');
    expect(mayRelease(isolation)).toBe(true);
  });

  it('refuses release without a check-in on the last day, and follows an extension', () => {
    const isolation = household();
    for (let day = 1; day <= 13; day++)
      isolation.checkIns.push(checkIn(isolation, at(day, '09:00:00')));
    expect(isolationState(isolation, at(14, '09:00:00'), RULES)).toBe('due');
    expect(isolationState(isolation, at(15, '08:00:00'), RULES)).toBe('release-due');
    expect(mayRelease(isolation)).toBe(false);
    isolation.extensions.push(
      make('isolation-extension', at(14, '12:00:00'), {
        isolationId: isolation.start.id,
        lastDay: '2026-12-17',
        reason: '家中有人发热',
      }),
    );
    expect(lastDay(isolation)).toBe('2026-12-17');
    expect(isolationState(isolation, at(15, '08:00:00'), RULES)).toBe('due');
    isolation.end = make('isolation-end', at(17, '12:00:00'), {
      isolationId: isolation.start.id,
      outcome: 'completed',
      reason: '期满无症状',
    });
    expect(isolationState(isolation, at(17, '12:00:01'), RULES)).toBe('ended');
  });

  it('treats a fever (measured or felt) or difficulty breathing as symptomatic, other symptoms not', () => {
    const isolation = household();
    const symptomatic = (celsius: string, symptoms: Symptom[] = []) =>
      checkIn(isolation, at(1, '09:00:00'), celsius, symptoms).data.symptomatic;
    expect(symptomatic('37.3')).toBe(true);
    expect(symptomatic('37.2')).toBe(false);
    expect(symptomatic('36.8', ['breathing'])).toBe(true);
    expect(symptomatic('36.8', ['fever'])).toBe(true);
    expect(
      symptomatic('36.8', ['cough', 'fatigue', 'sore-throat', 'diarrhoea', 'smell-taste']),
    ).toBe(false);
    const made = checkIn(isolation, at(1, '09:00:00'), '36.8', ['cough']);
    expect(made.data.readings).toEqual([
      { member: 0, celsius: 36.8, symptoms: ['cough'] },
      { member: 1, celsius: 36.8, symptoms: ['cough'] },
      { member: 2, celsius: 36.8, symptoms: ['cough'] },
    ]);
    expect(isSymptomatic(made.data.readings, 36.8)).toBe(true);
  });

  it('refuses a check-in with a temperature that is not one, naming the member’s field', () => {
    const isolation = household();
    const made = makeRecord(
      {
        config: deviceConfig,
        now: at(1, '09:00:00'),
        newId: () => '0192f0a4-3b7d-7c35-9a51-0000000000ff',
      },
      'isolation-check-in',
      checkInData(
        isolation.start.id,
        {
          how: 'phone',
          reporter: '张三丰',
          readings: [
            { celsius: '36.5', symptoms: [] },
            { celsius: '', symptoms: [] },
            { celsius: '36.6', symptoms: [] },
          ],
        },
        37.3,
      ),
    );
    expect(made.ok).toBe(false);
    if (!made.ok)
      expect(made.issues.map((issue) => issue.field)).toEqual(['data.readings.1.celsius']);
  });

  it('builds isolations from records in any order, leaving voided ones out, and counts a day', () => {
    const first = household();
    const second = household();
    const checkIns = [
      checkIn(first, at(1, '09:00:00')),
      checkIn(first, at(2, '09:00:00'), '37.8'),
      checkIn(second, at(1, '09:00:00')),
    ];
    const voidOfSecondStart = make('void', at(1, '11:00:00'), {
      targetId: second.start.id,
      reason: '登记错了',
    });
    const voidOfCheckIn = make('void', at(2, '10:00:00'), {
      targetId: (checkIns[1] as KadianRecord).id,
      reason: '体温输错',
    });
    const records: KadianRecord[] = [
      ...checkIns,
      voidOfCheckIn,
      second.start,
      first.start,
      voidOfSecondStart,
    ].reverse();
    const built = isolationsOf(records);
    expect(built.map((isolation) => isolation.start.id)).toEqual([first.start.id]);
    expect(built[0]?.checkIns.map((record) => record.id)).toEqual([
      (checkIns[0] as KadianRecord).id,
    ]);
    // Day 2 after its cutoff: the voided check-in leaves the day missed.
    expect(isolationCounts(built, '2026-12-02', at(2, '21:00:00'), RULES)).toEqual({
      households: 1,
      checkedIn: 0,
      missed: 1,
      symptomatic: 0,
      released: 0,
    });
    expect(isolationCounts(built, '2026-12-01', at(2, '21:00:00'), RULES)).toEqual({
      households: 1,
      checkedIn: 1,
      missed: 0,
      symptomatic: 0,
      released: 0,
    });
    // Before day 1 nothing is followed.
    expect(isolationCounts(built, '2026-11-30', at(2, '21:00:00'), RULES).households).toBe(0);
  });

  it('masks the household’s names, ID and phone once the receiver’s retention has passed', () => {
    const { start } = household();
    const masked = withoutPersonalData(start as KadianRecord) as RecordOfKind<'isolation-start'>;
    expect(masked.data.members).toEqual([
      { name: '张*丰', idType: 'resident', idNumber: '1101**********002X' },
      { name: '张*山' },
      { name: '殷*素' },
    ]);
    expect(masked.data.phone).toBe('139****5678');
  });
});
