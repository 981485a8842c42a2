import { describe, expect, it } from 'vitest';
import { escalationOf } from '../../server/store';
import {
  type AlertState,
  alertLevel,
  alertProgress,
  escalationTimes,
  smsDue,
  takeTimes,
} from '../../src/domain/alerts';
import { dutyNumber } from '../../src/domain/config';
import { deviceConfig } from '../fixtures/device-config';

const T0 = 1_796_346_000_000;
const MIN = 60_000;

const alert = (over: Partial<AlertState> = {}): AlertState => ({
  id: 'a',
  checkpointId: 'lj-03',
  place: {},
  measuredAt: T0,
  receivedAt: T0,
  celsius: 38.2,
  subject: { type: 'person' },
  atGate: [],
  voided: false,
  escalatesAt: escalationTimes(T0, { community: 2, township: 5 }),
  ...over,
});

describe('an alert’s level in the chain', () => {
  it('rises from the community to the township after 2 minutes untaken, to the county 5 after', () => {
    expect(escalationTimes(T0, { community: 2, township: 5 })).toEqual({
      township: T0 + 2 * MIN,
      county: T0 + 7 * MIN,
    });
    expect(alertLevel(alert(), T0 + 2 * MIN - 1)).toBe('community');
    expect(alertLevel(alert(), T0 + 2 * MIN)).toBe('township');
    expect(alertLevel(alert(), T0 + 7 * MIN)).toBe('county');
  });

  it('stays at the level where it was taken', () => {
    const taken = alert({ taken: { by: '王值班', at: T0 + 3 * MIN } });
    expect(alertLevel(taken, T0 + 60 * MIN)).toBe('township');
    expect(alertLevel(alert({ taken: { by: '王值班', at: T0 + MIN } }), T0 + 60 * MIN)).toBe(
      'community',
    );
  });

  it('reads the receiver’s minutes from its setting, refusing what is not two numbers', () => {
    expect(escalationOf(undefined)).toEqual({ community: 2, township: 5 });
    expect(escalationOf('1, 3')).toEqual({ community: 1, township: 3 });
    expect(() => escalationOf('2')).toThrow('KADIAN_ESCALATE_MINUTES');
    expect(() => escalationOf('2,-1')).toThrow('KADIAN_ESCALATE_MINUTES');
  });
});

describe('a gate’s view of its alert', () => {
  it('is the furthest step reached: saved, delivered, taken, closed', () => {
    expect(alertProgress(T0, undefined, undefined)).toEqual({ step: 'saved', at: T0 });
    expect(alertProgress(T0, T0 + 5, undefined)).toEqual({ step: 'delivered', at: T0 + 5 });
    // Delivered by the main queue: the receiver's own record of it says so.
    expect(
      alertProgress(T0, undefined, { id: 'a', checkpointId: 'lj-03', receivedAt: T0 + 9 }),
    ).toEqual({ step: 'delivered', at: T0 + 9 });
    const taken = { by: '王值班', phone: '13900139000', at: T0 + MIN };
    expect(
      alertProgress(T0, T0 + 5, { id: 'a', checkpointId: 'lj-03', receivedAt: T0 + 5, taken }),
    ).toEqual({ step: 'taken', ...taken });
    const closed = { by: '王值班', at: T0 + 9 * MIN, outcome: 'referred' as const };
    expect(
      alertProgress(T0, T0 + 5, {
        id: 'a',
        checkpointId: 'lj-03',
        receivedAt: T0 + 5,
        taken,
        closed,
      }),
    ).toEqual({ step: 'closed', by: '王值班', at: T0 + 9 * MIN, outcome: 'referred' });
  });

  it('offers the SMS after the wait when nothing is confirmed, or always where the endpoint cannot say', () => {
    const saved = { step: 'saved', at: T0 } as const;
    const delivered = { step: 'delivered', at: T0 + 5 } as const;
    expect(smsDue(saved, T0 + 59_999, T0, 60, true)).toBe(false);
    expect(smsDue(saved, T0 + 60_000, T0, 60, true)).toBe(true);
    expect(smsDue(delivered, T0 + 60_000, T0, 60, true)).toBe(false);
    expect(smsDue(delivered, T0 + 60_000, T0, 60, false)).toBe(true);
    expect(smsDue(delivered, T0 + 29_000, T0, 30, false)).toBe(false);
  });
});

describe('how fast alerts were taken', () => {
  it('gives the median and 90th percentile of the waits, and counts those past two minutes', () => {
    const sample = (receivedAt: number, wait?: number) => ({
      checkpointId: 'lj-03',
      receivedAt,
      ...(wait !== undefined && { takenAt: receivedAt + wait }),
    });
    const now = T0 + 10 * MIN;
    expect(
      takeTimes(
        [
          sample(T0, 30_000),
          sample(T0, 90_000),
          sample(T0, 150_000),
          sample(now - 3 * MIN),
          sample(now - MIN),
        ],
        now,
      ),
    ).toEqual({ alerts: 5, taken: 3, medianMs: 90_000, p90Ms: 150_000, notTakenInTime: 2 });
    expect(takeTimes([], now)).toEqual({ alerts: 0, taken: 0, notTakenInTime: 0 });
    // Exactly two minutes is in time.
    expect(takeTimes([sample(T0, 2 * MIN)], now).notTakenInTime).toBe(0);
  });
});

describe('the number a gate’s SMS goes to', () => {
  it('is whoever the roster has on duty then (the latest to start), else the duty number', () => {
    const rules = { ...deviceConfig.rules, dutySms: '0736-2891234' };
    const roster = [
      { name: '王值班', phone: '13900139000', from: T0, to: T0 + 12 * 60 * MIN },
      { name: '李替班', phone: '13700137000', from: T0 + 60 * MIN, to: T0 + 120 * MIN },
    ];
    expect(dutyNumber({ rules, roster }, T0 + 30 * MIN)).toEqual({
      number: '13900139000',
      name: '王值班',
    });
    expect(dutyNumber({ rules, roster }, T0 + 90 * MIN)).toEqual({
      number: '13700137000',
      name: '李替班',
    });
    expect(dutyNumber({ rules, roster }, T0 + 13 * 60 * MIN)).toEqual({ number: '0736-2891234' });
    expect(dutyNumber({ rules: deviceConfig.rules, roster: [] }, T0)).toBeUndefined();
  });
});
