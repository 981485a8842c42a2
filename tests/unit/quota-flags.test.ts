import { describe, expect, it } from 'vitest';
import { type Exit, quotaFlags } from '../../src/domain/quota-flags';

const at = (time: string) => new Date(`2026-11-${time}`).getTime();
const exit = (recordId: string, householdId: string, deviceId: string, time: string): Exit => ({
  recordId,
  passId: `${householdId}-pass`,
  householdId,
  deviceId,
  checkpointId: deviceId === 'north' ? 'lj-03' : 'lj-04',
  at: at(time),
});

describe('quotaFlags', () => {
  it('flags the exit that went over the quota, with the exits in its window, across gates', () => {
    const exits = [
      exit('r1', 'hh-1', 'north', '29T08:00:00'),
      exit('r2', 'hh-1', 'south', '29T09:00:00'),
      exit('r3', 'hh-2', 'north', '29T09:30:00'),
    ];
    expect(quotaFlags(exits, { n: 1, days: 2 })).toEqual([
      {
        date: '2026-11-29',
        passId: 'hh-1-pass',
        householdId: 'hh-1',
        exit: exits[1],
        window: [exits[0], exits[1]],
        acrossDevices: true,
      },
    ]);
  });

  it('uses the device’s window bounds: an exit exactly days × 24 h earlier still counts', () => {
    const edge = [
      exit('r1', 'hh-1', 'north', '27T09:00:00'),
      exit('r2', 'hh-1', 'south', '29T09:00:00'),
    ];
    expect(quotaFlags(edge, { n: 1, days: 2 }).map((flag) => flag.exit.recordId)).toEqual(['r2']);
    const later = [
      exit('r1', 'hh-1', 'north', '27T08:59:59'),
      exit('r2', 'hh-1', 'south', '29T09:00:00'),
    ];
    expect(quotaFlags(later, { n: 1, days: 2 })).toEqual([]);
  });

  it('flags every exit over the quota, in time order, and marks one-device breaches as such', () => {
    const exits = [
      exit('r4', 'hh-1', 'north', '29T12:00:00'),
      exit('r1', 'hh-1', 'north', '29T08:00:00'),
      exit('r3', 'hh-1', 'north', '29T11:00:00'),
      exit('r2', 'hh-1', 'north', '29T10:00:00'),
    ];
    const flags = quotaFlags(exits, { n: 2, days: 1 });
    expect(
      flags.map((flag) => [
        flag.exit.recordId,
        flag.window.map((item) => item.recordId),
        flag.acrossDevices,
      ]),
    ).toEqual([
      ['r3', ['r1', 'r2', 'r3'], false],
      ['r4', ['r1', 'r2', 'r3', 'r4'], false],
    ]);
  });

  it('dates a flag by the local day of the exit (23:59:59.999 and 00:00 fall on different days)', () => {
    const exits = [
      exit('r1', 'hh-1', 'north', '28T23:59:59.999'),
      exit('r2', 'hh-1', 'south', '29T00:00:00.000'),
      exit('r3', 'hh-2', 'north', '28T23:00:00'),
      exit('r4', 'hh-2', 'south', '28T23:59:59.999'),
    ];
    expect(
      quotaFlags(exits, { n: 1, days: 1 }).map((flag) => [flag.exit.recordId, flag.date]),
    ).toEqual([
      ['r4', '2026-11-28'],
      ['r2', '2026-11-29'],
    ]);
  });

  it('with a quota of 0 flags every exit', () => {
    expect(
      quotaFlags([exit('r1', 'hh-1', 'north', '29T08:00:00')], { n: 0, days: 1 }),
    ).toHaveLength(1);
    expect(quotaFlags([], { n: 0, days: 1 })).toEqual([]);
  });
});
