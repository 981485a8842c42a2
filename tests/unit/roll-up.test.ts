import { describe, expect, it } from 'vitest';
import type { DailyCounts } from '../../src/domain/daily-summary';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { addCounts, emptyCounts, openFevers, rollUp } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';

const device = (deviceId: string, checkpointId: string) => ({
  ...deviceConfig,
  deviceId,
  checkpoint: { id: checkpointId, name: checkpointId },
});
function make<K extends KadianRecord['kind']>(
  config: ReturnType<typeof device>,
  kind: K,
  time: string,
  data: RecordData<K>,
) {
  const made = makeRecord(
    { config, now: new Date(`2026-11-${time}`).getTime(), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}
const counts = (changes: Partial<DailyCounts>): DailyCounts => ({ ...emptyCounts(), ...changes });
const report = (
  config: ReturnType<typeof device>,
  time: string,
  date: string,
  place: { county: string; township: string; community: string; courtyard: string },
  figures: Partial<DailyCounts>,
  zero = true,
) =>
  make(config, 'daily-report', time, {
    date,
    place,
    counts: counts(figures),
    zero,
    volunteers: [{ name: '李红' }],
  });

const longyang = {
  county: '汉寿县',
  township: '龙阳街道',
  community: '东岳社区',
  courtyard: '龙阳小区',
};
const zhanjia = {
  county: '汉寿县',
  township: '龙阳街道',
  community: '东岳社区',
  courtyard: '詹家小区',
};
const taihe = { county: '汉寿县', township: '太和镇', community: '太和村', courtyard: '太和一组' };

describe('addCounts', () => {
  it('adds every figure, and the refusals reason by reason', () => {
    expect(
      addCounts(
        counts({ passesIn: 2, passesDenied: 1, deniedByReason: { quota: 1 } }),
        counts({
          passesIn: 3,
          fevers: 1,
          passesDenied: 2,
          deniedByReason: { quota: 1, expired: 1 },
        }),
      ),
    ).toEqual(
      counts({ passesIn: 5, fevers: 1, passesDenied: 3, deniedByReason: { quota: 2, expired: 1 } }),
    );
  });
});

describe('rollUp', () => {
  it('adds devices up per checkpoint and the checkpoints up the chain, and lists who has not reported', () => {
    const north1 = device('dev-n1', 'lj-03');
    const north2 = device('dev-n2', 'lj-03');
    const south = device('dev-s1', 'zj-01');
    const reports = [
      report(north1, '28T20:00:00', '2026-11-28', longyang, { passesIn: 1 }),
      // The same device's later report for the day replaces its first.
      report(north1, '28T21:00:00', '2026-11-28', longyang, { passesIn: 10, passesOut: 4 }),
      report(north2, '29T08:00:00', '2026-11-28', longyang, { passesIn: 5, fevers: 1 }, false),
      report(south, '28T20:30:00', '2026-11-28', zhanjia, { temperatures: 7 }),
      // Another day's report does not count.
      report(south, '27T20:30:00', '2026-11-27', zhanjia, { temperatures: 99 }),
    ];
    const known = [
      { id: 'lj-03', name: '龙阳小区北门' },
      { id: 'th-01', name: '太和一组路口', ...taihe },
      { id: 'zj-01' },
    ];
    const day = rollUp('2026-11-28', known, reports, [], new Set());
    expect(day.totals).toEqual(counts({ passesIn: 15, passesOut: 4, fevers: 1, temperatures: 7 }));
    // 北门 first reported at 20:00 (its later correction does not make it late), 詹家 at 20:30.
    const late = (deadline: string) =>
      rollUp('2026-11-28', known, reports, [], new Set(), { deadline }).submitted;
    expect(late('20:15')).toEqual({ deadline: '20:15', onTime: 1, late: 1, missing: 1 });
    expect(late('20:30')).toEqual({ deadline: '20:30', onTime: 2, late: 0, missing: 1 });
    expect(late('19:59')).toEqual({ deadline: '19:59', onTime: 0, late: 2, missing: 1 });
    expect(day.submitted).toEqual({ onTime: 2, late: 0, missing: 1 });
    expect([day.reported, day.checkpoints]).toEqual([2, 3]);
    expect(day.missing.map((checkpoint) => checkpoint.id)).toEqual(['th-01']);
    const [county] = day.counties;
    expect(county?.name).toBe('汉寿县');
    expect(
      county?.children.map((township) => [township.name, township.reported, township.checkpoints]),
    ).toEqual([
      // In pinyin order, as a Chinese reader expects: Longyang before Taihe.
      ['龙阳街道', 2, 2],
      ['太和镇', 0, 1],
    ]);
    const community = county?.children[0]?.children[0];
    expect(community?.name).toBe('东岳社区');
    expect(community?.totals).toEqual(
      counts({ passesIn: 15, passesOut: 4, fevers: 1, temperatures: 7 }),
    );
    expect(community?.children).toEqual([
      {
        id: 'lj-03',
        name: '龙阳小区北门',
        courtyard: '龙阳小区',
        devices: 2,
        counts: counts({ passesIn: 15, passesOut: 4, fevers: 1 }),
        zero: false,
      },
      {
        id: 'zj-01',
        name: 'zj-01',
        courtyard: '詹家小区',
        devices: 1,
        counts: counts({ temperatures: 7 }),
        zero: true,
      },
    ]);
  });

  it('counts a device’s latest report that is not voided, or none when every one is', () => {
    const north = device('dev-n1', 'lj-03');
    const south = device('dev-s1', 'zj-01');
    const first = report(north, '28T20:00:00', '2026-11-28', longyang, { passesIn: 3 });
    const second = report(north, '28T21:00:00', '2026-11-28', longyang, { passesIn: 50 });
    const only = report(south, '28T20:30:00', '2026-11-28', zhanjia, { temperatures: 7 });
    const known = [{ id: 'lj-03' }, { id: 'zj-01' }];
    const day = rollUp(
      '2026-11-28',
      known,
      [first, second, only],
      [],
      new Set([second.id, only.id]),
    );
    expect(day.totals).toEqual(counts({ passesIn: 3 }));
    expect([day.reported, day.checkpoints]).toEqual([1, 2]);
    expect(day.missing.map((checkpoint) => checkpoint.id)).toEqual(['zj-01']);
  });

  it('groups a checkpoint whose place nobody told under "—" rather than dropping it', () => {
    const day = rollUp('2026-11-28', [{ id: 'x-1' }], [], [], new Set());
    expect(day.counties.map((county) => county.name)).toEqual(['—']);
    expect(day.missing.map((checkpoint) => checkpoint.id)).toEqual(['x-1']);
  });
});

describe('openFevers', () => {
  const gate = device('dev-n1', 'lj-03');
  const fever = (time: string, name: string) =>
    make(gate, 'temperature', time, {
      subject: { type: 'visitor', name },
      celsius: 37.9,
      method: 'forehead',
      fever: true,
    });

  it('keeps fevers that nobody cleared or sent on by the end of the day', () => {
    const open = fever('28T09:00:00', '张三');
    const referred = fever('28T10:00:00', '李四');
    const normalAgain = fever('28T11:00:00', '王五');
    const isolated = fever('28T12:00:00', '赵六');
    const voided = fever('28T13:00:00', '钱七');
    const clearedTomorrow = fever('28T14:00:00', '孙八');
    const records = [
      open,
      referred,
      make(gate, 'fever-follow-up', '28T10:05:00', {
        temperatureId: referred.id,
        action: 'referred',
      }),
      normalAgain,
      make(gate, 'temperature', '28T11:01:00', {
        subject: { type: 'visitor', name: '王五' },
        celsius: 36.8,
        method: 'axillary',
        fever: false,
        remeasureOf: normalAgain.id,
      }),
      isolated,
      make(gate, 'fever-follow-up', '28T12:05:00', {
        temperatureId: isolated.id,
        action: 'isolated',
      }),
      voided,
      make(gate, 'void', '28T13:01:00', { targetId: voided.id, reason: '测错人' }),
      clearedTomorrow,
      make(gate, 'fever-follow-up', '29T09:00:00', {
        temperatureId: clearedTomorrow.id,
        action: 'cleared',
      }),
    ];
    expect(openFevers('2026-11-28', records).map((f) => f.name)).toEqual(['张三', '赵六', '孙八']);
    expect(openFevers('2026-11-29', records).map((f) => f.name)).toEqual(['张三', '赵六']);
    expect(openFevers('2026-11-28', records)[0]).toEqual({
      id: open.id,
      checkpointId: 'lj-03',
      deviceId: 'dev-n1',
      at: open.recordedAt,
      celsius: 37.9,
      name: '张三',
      subject: 'visitor',
    });
  });
});
