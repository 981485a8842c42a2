import { describe, expect, it } from 'vitest';
import { check } from '../../src/domain/issues';
import { makeRecord, type RecordContext } from '../../src/domain/make-record';
import { isUrgent, KadianRecord, RECORD_KINDS, targetOf } from '../../src/domain/records';

const context: RecordContext = {
  config: {
    deviceId: 'dev-7f3a',
    checkpoint: { id: 'hanshou-lj-03', name: '龙阳小区北门' },
    volunteer: { name: '李红', phone: '13800138000' },
  },
  now: Date.UTC(2025, 11, 1, 8, 0, 0),
  newId: () => '0192f0a4-3b7d-7c35-9a51-2d0e8f6b7a10',
};

const visitor = {
  name: '王五',
  idType: 'resident' as const,
  idNumber: '430102199003071234',
  phone: '13912345678',
  from: { region: '湖南省长沙市', keyArea: false },
  visiting: '3栋2单元501 王大爷',
  purpose: '送药',
};

describe('the wire format', () => {
  it('accepts DESIGN.md’s example record exactly as written', () => {
    const example = {
      id: '6f1c0a4e-3b7d-4c35-9a51-2d0e8f6b7a10',
      kind: 'temperature',
      checkpointId: 'hanshou-lj-03',
      deviceId: 'dev-7f3a',
      volunteer: { name: '李红', phone: '13800138000' },
      recordedAt: 1764403200000,
      schemaVersion: 1,
      data: {
        subject: { type: 'pass', ref: 'P-000123' },
        celsius: 36.6,
        method: 'forehead',
        fever: false,
      },
    };
    expect(check(KadianRecord, example)).toEqual({ ok: true, value: example });
  });

  it('lists every kind of DESIGN.md, then the documented additions', () => {
    expect(RECORD_KINDS).toEqual([
      'pass-scan',
      'temperature',
      'fever-follow-up',
      'visitor-in',
      'visitor-out',
      'shift',
      'daily-report',
      'pass-revocation',
      'void',
      'fever-alert-taken',
      'fever-alert-closed',
      'isolation-start',
      'isolation-check-in',
      'isolation-extension',
      'isolation-end',
    ]);
  });

  it('refuses unknown extra fields, naming them', () => {
    const made = makeRecord(context, 'shift', { action: 'start' });
    if (!made.ok) throw new Error('shift record should be valid');
    const withExtra = { ...made.value, syncState: 'pending', data: { action: 'start', by: 'x' } };
    expect(check(KadianRecord, withExtra)).toEqual({
      ok: false,
      issues: [
        { field: 'data.by', rule: 'unknown-field' },
        { field: 'syncState', rule: 'unknown-field' },
      ],
    });
  });
});

describe('makeRecord', () => {
  it('fills the envelope from the device and validates the data', () => {
    const made = makeRecord(context, 'visitor-in', visitor);
    expect(made).toEqual({
      ok: true,
      value: {
        id: '0192f0a4-3b7d-7c35-9a51-2d0e8f6b7a10',
        kind: 'visitor-in',
        checkpointId: 'hanshou-lj-03',
        deviceId: 'dev-7f3a',
        volunteer: { name: '李红', phone: '13800138000' },
        recordedAt: context.now,
        schemaVersion: 1,
        data: visitor,
      },
    });
  });

  it.each([
    [
      { idNumber: '430102199003071235' },
      [{ field: 'data.idNumber', rule: 'id-check-character', params: { expected: '4' } }],
    ],
    [{ idType: 'none', idNumber: undefined }, []],
    [
      { idType: 'taiwan', idNumber: '1234567' },
      [{ field: 'data.idNumber', rule: 'permit-taiwan', params: {} }],
    ],
    [{ name: '   ' }, [{ field: 'data.name', rule: 'required', params: {} }]],
    [{ name: '王'.repeat(51) }, [{ field: 'data.name', rule: 'max-length', params: { max: 50 } }]],
    [{ name: '𠮷'.repeat(50) }, []],
    [
      { purpose: '药'.repeat(101) },
      [{ field: 'data.purpose', rule: 'max-length', params: { max: 100 } }],
    ],
    [{ phone: '1391234567' }, [{ field: 'data.phone', rule: 'mobile', params: {} }]],
    [{ plate: '湘J1234' }, [{ field: 'data.plate', rule: 'plate', params: {} }]],
    [{ plate: '湘JD12345' }, []],
    [
      { healthCode: 'blue' },
      [{ field: 'data.healthCode', rule: 'one-of', params: { values: 'green / yellow / red' } }],
    ],
    [
      { from: { region: '', keyArea: true } },
      [{ field: 'data.from.region', rule: 'required', params: {} }],
    ],
  ])('visitor with %j → issues %j', (change, issues) => {
    const made = makeRecord(context, 'visitor-in', { ...visitor, ...change } as typeof visitor);
    expect(made.ok ? [] : made.issues).toEqual(issues);
  });

  it('checks a birth date against the day the record is made', () => {
    const born = '43010220251202123';
    const id = `${born}X`;
    const made = makeRecord(context, 'visitor-in', { ...visitor, idNumber: id });
    expect(made.ok ? [] : made.issues.map((issue) => issue.rule)).toEqual(['id-birth-date']);
  });

  it.each([
    [{ direction: 'in', verdict: 'unverified', passId: 'a1b2c3d4-0001', householdId: 'hh-1' }, []],
    [{ direction: 'in', verdict: 'denied', reason: 'unreadable', raw: 'hello' }, []],
    [
      { direction: 'in', verdict: 'unverified' },
      [{ field: 'data.passId', rule: 'required', params: {} }],
    ],
    [
      { direction: 'in', verdict: 'denied', passId: 'p1' },
      [{ field: 'data.reason', rule: 'required', params: {} }],
    ],
    [
      { direction: 'in', verdict: 'allowed', passId: 'p1', reason: 'expired' },
      [{ field: 'data.reason', rule: 'invalid', params: {} }],
    ],
    [
      { direction: 'in', verdict: 'unverified', passId: 'p1', raw: 'KD1.x.y' },
      [{ field: 'data.raw', rule: 'invalid', params: {} }],
    ],
    [
      { direction: 'up', verdict: 'unverified', passId: 'p1' },
      [{ field: 'data.direction', rule: 'one-of', params: { values: 'in / out' } }],
    ],
  ])('pass scan %j → issues %j', (data, issues) => {
    const made = makeRecord(context, 'pass-scan', data as never);
    expect(made.ok ? [] : made.issues).toEqual(issues);
  });

  it.each([
    [36.6, []],
    [38.2, []],
    [36.65, [{ field: 'data.celsius', rule: 'temperature-format', params: {} }]],
    [
      45,
      [{ field: 'data.celsius', rule: 'temperature-range', params: { min: '34.0', max: '43.0' } }],
    ],
  ])('temperature %s → issues %j', (celsius, issues) => {
    const made = makeRecord(context, 'temperature', {
      subject: { type: 'person' },
      celsius,
      method: 'forehead',
      fever: false,
    });
    expect(made.ok ? [] : made.issues).toEqual(issues);
  });

  it('refuses a void without a reason and one over 500 characters', () => {
    const targetId = '0192f0a4-3b7d-7c35-9a51-2d0e8f6b7a11';
    const blank = makeRecord(context, 'void', { targetId, reason: '' });
    const long = makeRecord(context, 'void', { targetId, reason: '错'.repeat(501) });
    expect(blank.ok ? [] : blank.issues).toEqual([
      { field: 'data.reason', rule: 'required', params: {} },
    ]);
    expect(long.ok ? [] : long.issues).toEqual([
      { field: 'data.reason', rule: 'max-length', params: { max: 500 } },
    ]);
  });
});

describe('record links and urgency', () => {
  const made = <K extends Parameters<typeof makeRecord>[1]>(
    kind: K,
    data: Parameters<typeof makeRecord<K>>[2],
  ) => {
    const result = makeRecord(context, kind, data);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.value;
  };
  const first = '0192f0a4-3b7d-7c35-9a51-2d0e8f6b7a11';

  it('knows which record another one points at', () => {
    expect(targetOf(made('void', { targetId: first, reason: '录错了' }))).toBe(first);
    expect(targetOf(made('visitor-out', { visitorId: first }))).toBe(first);
    expect(targetOf(made('fever-follow-up', { temperatureId: first, action: 'referred' }))).toBe(
      first,
    );
    expect(
      targetOf(
        made('temperature', {
          subject: { type: 'person' },
          celsius: 37.0,
          method: 'ear',
          fever: false,
          remeasureOf: first,
        }),
      ),
    ).toBe(first);
    expect(targetOf(made('shift', { action: 'start' }))).toBeUndefined();
  });

  it('sends fevers, follow-ups and reports first', () => {
    const reading = (fever: boolean) =>
      made('temperature', {
        subject: { type: 'person' },
        celsius: fever ? 38.2 : 36.5,
        method: 'forehead',
        fever,
      });
    expect(isUrgent(reading(true))).toBe(true);
    expect(isUrgent(reading(false))).toBe(false);
    expect(isUrgent(made('fever-follow-up', { temperatureId: first, action: 'isolated' }))).toBe(
      true,
    );
    expect(isUrgent(made('shift', { action: 'end' }))).toBe(false);
  });
});
