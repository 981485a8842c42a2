import { describe, expect, it } from 'vitest';
import { abnormalities, reportData, summarizeDay } from '../../src/domain/daily-summary';
import { makeRecord } from '../../src/domain/make-record';
import { maskName } from '../../src/domain/mask';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { dayInputOf } from '../fixtures/day-input';
import { dayOfRecords } from '../fixtures/day-of-records';
import { deviceConfig } from '../fixtures/device-config';

const inputOf = (records: KadianRecord[], date: string) => dayInputOf(date, records, '湘J');

describe('summarizeDay', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i + 1))(
    'gives the counts a generated day was made with (seed %i)',
    (seed) => {
      const day = dayOfRecords(seed);
      const summary = summarizeDay(inputOf(day.records, day.date));
      expect(summary.counts).toEqual(day.expected.counts);
      expect(summary.zero).toBe(day.expected.zero);
      expect(summary.volunteers.map((volunteer) => volunteer.name)).toEqual(
        day.expected.volunteers,
      );
    },
  );

  const at = (time: string) => new Date(`2026-11-28T${time}`).getTime();
  const make = <K extends KadianRecord['kind']>(kind: K, time: number, data: RecordData<K>) => {
    const made = makeRecord(
      { config: deviceConfig, now: time, newId: () => crypto.randomUUID() },
      kind,
      data,
    );
    if (!made.ok) throw new Error('invalid');
    return made.value;
  };

  it('counts 23:59:59.999 on the day and 00:00:00.000 on the next', () => {
    const scan = (time: number) =>
      make('pass-scan', time, {
        passId: 'p-1',
        householdId: 'hh-1',
        direction: 'in',
        verdict: 'allowed',
      });
    const records = [
      scan(at('00:00:00.000') - 1),
      scan(at('00:00:00.000')),
      scan(at('23:59:59.999')),
      scan(at('23:59:59.999') + 1),
    ];
    expect(summarizeDay(inputOf(records, '2026-11-28')).counts.passesIn).toBe(2);
    expect(summarizeDay(inputOf(records, '2026-11-29')).counts.passesIn).toBe(1);
    expect(summarizeDay(inputOf(records, '2026-11-27')).counts.passesIn).toBe(1);
  });

  it('is not a zero-report while a home-isolation check-in was missed or symptomatic, and keeps check-ins out of the temperatures', () => {
    const checkIn = make('isolation-check-in', at('09:00:00'), {
      isolationId: '0192f0a4-3b7d-7c35-9a51-000000000001',
      symptomatic: false,
      how: 'door',
      reporter: '张三丰',
      readings: [{ member: 0, celsius: 37.0, symptoms: [] }],
    });
    const calm = { households: 2, checkedIn: 2, missed: 0, symptomatic: 0, released: 1 };
    const day = summarizeDay({ ...inputOf([checkIn], '2026-11-28'), isolation: calm });
    expect(day.counts.temperatures).toBe(0);
    expect(day.isolation).toEqual(calm);
    expect(day.zero).toBe(true);
    const missed = { ...calm, checkedIn: 1, missed: 1, symptomatic: 1 };
    const worried = summarizeDay({ ...inputOf([checkIn], '2026-11-28'), isolation: missed });
    expect(worried.zero).toBe(false);
    expect(abnormalities(worried.counts, worried.isolation)).toEqual([
      { reason: 'isolation.missed', count: 1 },
      { reason: 'isolation.symptomatic', count: 1 },
    ]);
    const report = reportData(worried, deviceConfig.place, '');
    expect(report.isolation).toEqual(missed);
    expect(report.zero).toBe(false);
    // A checkpoint that follows nobody has no isolation section at all.
    const none = { households: 0, checkedIn: 0, missed: 0, symptomatic: 0, released: 0 };
    expect(
      summarizeDay({ ...inputOf([], '2026-11-28'), isolation: none }).isolation,
    ).toBeUndefined();
  });

  it('says zero on a quiet day, and lists a fever with its last reading and follow-ups', () => {
    const quiet = [
      make('shift', at('07:00:00'), { action: 'start' }),
      make('temperature', at('08:00:00'), {
        subject: { type: 'person' },
        celsius: 36.4,
        method: 'forehead',
        fever: false,
      }),
    ];
    const calm = summarizeDay(inputOf(quiet, '2026-11-28'));
    expect(calm.zero).toBe(true);
    expect(calm.fevers).toEqual([]);
    expect(calm.volunteers).toEqual([{ name: '李红' }]);

    const first = make('temperature', at('09:00:00'), {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 37.6,
      method: 'forehead',
      fever: true,
    });
    const again = make('temperature', at('09:01:00'), {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 37.8,
      method: 'axillary',
      fever: true,
      remeasureOf: first.id,
    });
    const referred = make('fever-follow-up', at('09:05:00'), {
      temperatureId: first.id,
      action: 'referred',
    });
    const summary = summarizeDay(inputOf([...quiet, first, again, referred], '2026-11-28'));
    expect(summary.zero).toBe(false);
    expect(summary.counts.temperatures).toBe(3);
    expect(summary.counts.fevers).toBe(1);
    expect(summary.fevers).toEqual([
      {
        id: first.id,
        at: first.recordedAt,
        name: '张三丰',
        subject: 'visitor',
        celsius: 37.8,
        actions: ['referred'],
      },
    ]);

    // A normal re-measurement ends the fever: no fever counted, and the day is a zero-report again.
    const normal = make('temperature', at('09:01:00'), {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 36.9,
      method: 'axillary',
      fever: false,
      remeasureOf: first.id,
    });
    const settled = summarizeDay(inputOf([...quiet, first, normal], '2026-11-28'));
    expect(settled.counts.fevers).toBe(0);
    expect(settled.zero).toBe(true);
  });

  it('counts no out-of-area vehicles where no local plate prefix is set', () => {
    const visitor = make('visitor-in', at('10:00:00'), {
      name: '访客',
      idType: 'none',
      from: { region: '长沙市', keyArea: false },
      visiting: '1栋',
      purpose: '探亲',
      plate: '粤B12345',
    });
    const input = inputOf([visitor], '2026-11-28');
    expect(summarizeDay(input).outOfAreaPlates).toEqual(['粤B12345']);
    expect(summarizeDay({ ...input, localPlatePrefix: undefined }).counts.outOfAreaVehicles).toBe(
      0,
    );
  });
});

describe('maskName', () => {
  it.each([
    ['李', '*'],
    ['李红', '李*'],
    ['王小明', '王*明'],
    ['欧阳娜娜', '欧**娜'],
    [' Ann Lee ', 'A*****e'],
  ])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
});
