// The command centre's dashboard: a place's figures day by day over a period, equal to a recount
// from the reports stored, for the viewer's place only; as SVG pictures, tables and CSV.
import { afterEach, describe, expect, it } from 'vitest';
import type { DailyCounts } from '../../src/domain/daily-summary';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { addCounts, emptyCounts } from '../../src/domain/roll-up';
import type { Trends } from '../../src/domain/trends';
import { deviceConfig } from '../fixtures/device-config';
import { random } from '../fixtures/random';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { isolationData } from '../fixtures/stored-records';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const T0 = new Date('2026-11-10T09:00:00').getTime();
let clock = T0;
let serial = 0;
const nextId = () => `0193f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;

const GATES = TWO_COMMUNITIES.map((checkpoint) => ({
  checkpoint,
  devices: [`dev-${checkpoint.id}-a`, `dev-${checkpoint.id}-b`],
}));

function make<K extends KadianRecord['kind']>(
  checkpointId: string,
  deviceId: string,
  at: number,
  kind: K,
  data: RecordData<K>,
) {
  const made = makeRecord(
    {
      config: { ...deviceConfig, deviceId, checkpoint: { id: checkpointId, name: checkpointId } },
      now: at,
      newId: nextId,
    },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

/** A fortnight of daily reports: some days a device sends none, or a correction, or voids one. */
function generated(seed: number) {
  const next = random(seed);
  const count = () => Math.floor(next() * 300);
  const records: KadianRecord[] = [];
  for (let day = 0; day < 14; day++) {
    const date = `2026-11-${String(10 + day).padStart(2, '0')}`;
    const evening = new Date(`${date}T20:00:00`).getTime();
    for (const { checkpoint, devices } of GATES)
      for (const deviceId of devices) {
        if (next() < 0.2) continue;
        const reports = Math.ceil(next() * 3);
        for (let n = 0; n < reports; n++) {
          const counts: DailyCounts = {
            ...emptyCounts(),
            passesIn: count(),
            passesOut: count(),
            passesDenied: 3,
            deniedByReason: { expired: 2, quota: 1 },
            temperatures: count(),
            fevers: Math.floor(next() * 3),
            visitorsIn: Math.floor(next() * 20),
            visitorsFromKeyAreas: Math.floor(next() * 3),
            outOfAreaVehicles: Math.floor(next() * 10),
          };
          const report = make(checkpoint.id, deviceId, evening + n * 60_000, 'daily-report', {
            date,
            place: {
              county: checkpoint.county ?? '',
              township: checkpoint.township ?? '',
              community: checkpoint.community ?? '',
              courtyard: checkpoint.courtyard ?? '',
            },
            counts,
            zero: false,
            volunteers: [{ name: '李红' }],
          });
          records.push(report);
          if (next() < 0.15)
            records.push(
              make(checkpoint.id, deviceId, evening + n * 60_000 + 1000, 'void', {
                targetId: report.id,
                reason: '报错了',
              }),
            );
        }
      }
  }
  return records;
}

/** The recount: each device's latest report per checkpoint-day not voided, added up. */
function recount(records: KadianRecord[], date: string, community?: string) {
  const voided = new Set(records.flatMap((r) => (r.kind === 'void' ? [r.data.targetId] : [])));
  const latest = new Map<string, Extract<KadianRecord, { kind: 'daily-report' }>>();
  for (const record of records) {
    if (record.kind !== 'daily-report' || record.data.date !== date || voided.has(record.id))
      continue;
    if (community && record.data.place.community !== community) continue;
    const key = `${record.checkpointId}/${record.deviceId}`;
    const before = latest.get(key);
    if (!before || before.recordedAt <= record.recordedAt) latest.set(key, record);
  }
  return {
    totals: [...latest.values()].reduce((sum, r) => addCounts(sum, r.data.counts), emptyCounts()),
    reported: new Set([...latest.values()].map((r) => r.checkpointId)).size,
  };
}

async function county(seed: number) {
  clock = new Date('2026-11-24T10:00:00').getTime();
  receiver = await startReceiver({ now: () => clock });
  await receiver.store.registerCheckpoints(TWO_COMMUNITIES);
  const tokens = {
    county: await receiver.store.createToken('县指挥部', 'viewer', 1, { scope: '汉寿县' }),
    east: await receiver.store.createToken('东岳查看', 'viewer', 1, { scope: '东岳社区' }),
    west: await receiver.store.createToken('西湖查看', 'viewer', 1, { scope: '西湖社区' }),
    office: await receiver.store.createToken('office', 'office', 1),
  };
  const records = generated(seed);
  for (let i = 0; i < records.length; i += 40)
    expect(
      (await receiver.upload(tokens.office, records.slice(i, i + 40), clock)).every(
        (result) => result.status === 'accepted',
      ),
    ).toBe(true);
  return { tokens, records };
}

const asked = (path: string, token: string) =>
  fetch(`${receiver.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('the dashboard', () => {
  it.each([4, 11, 30])(
    'counts each day and the period as a recount from the stored reports does, for the viewer’s place (seed %i)',
    async (seed) => {
      const { tokens, records } = await county(seed);
      const period = '?from=2026-11-10&to=2026-11-23';
      for (const [token, community] of [
        [tokens.county, undefined],
        [tokens.east, '东岳社区'],
        [tokens.west, '西湖社区'],
      ] as const) {
        const trends = (await (await asked(`/api/v1/dashboard${period}`, token)).json()) as Trends;
        expect(trends.days.map((day) => day.date)).toEqual(
          Array.from({ length: 14 }, (_, i) => `2026-11-${String(10 + i).padStart(2, '0')}`),
        );
        let total = emptyCounts();
        for (const day of trends.days) {
          const expected = recount(records, day.date, community);
          expect(day.totals).toEqual(expected.totals);
          expect([day.reported, day.checkpoints]).toEqual([expected.reported, community ? 1 : 2]);
          total = addCounts(total, expected.totals);
        }
        expect(trends.totals).toEqual(total);
      }
      // A community's viewer sees its own figures only, not its neighbour's nor the county's.
      const east = (await (
        await asked(`/api/v1/dashboard${period}`, tokens.east)
      ).json()) as Trends;
      const west = (await (
        await asked(`/api/v1/dashboard${period}`, tokens.west)
      ).json()) as Trends;
      const whole = (await (
        await asked(`/api/v1/dashboard${period}`, tokens.county)
      ).json()) as Trends;
      expect(addCounts(east.totals, west.totals)).toEqual(whole.totals);
      expect(east.totals).not.toEqual(whole.totals);
    },
  );

  it('tells fever alerts taken within two minutes from the late and untaken, by the day they arrived', async () => {
    clock = new Date('2026-11-20T09:00:00').getTime();
    receiver = await startReceiver({ now: () => clock });
    await receiver.store.registerCheckpoints(TWO_COMMUNITIES);
    const gate = await receiver.store.createToken('gate', 'device', 1);
    const duty = await receiver.store.createToken('值班', 'duty', 1, { scope: '汉寿县' });
    const fever = () =>
      make('lj-03', 'dev-lj-03-a', clock, 'temperature', {
        subject: { type: 'visitor', name: '张三丰' },
        celsius: 38.5,
        method: 'forehead',
        fever: true,
      });
    const take = (id: string) =>
      receiver.api(`/alerts/${id}/take`, duty, {
        method: 'POST',
        body: JSON.stringify({ name: '王值班' }),
      });
    const [quick, slow, never] = [fever(), fever(), fever()];
    for (const record of [quick, slow, never]) await receiver.upload(gate, [record], clock);
    clock += 60_000;
    expect((await take(quick.id)).status).toBe(200);
    clock += 4 * 60_000;
    expect((await take(slow.id)).status).toBe(200);
    const trends = (await (
      await asked('/api/v1/dashboard?from=2026-11-19&to=2026-11-20', duty)
    ).json()) as Trends;
    expect(trends.days.map((day) => [day.date, day.alerts])).toEqual([
      ['2026-11-19', { inTime: 0, late: 0 }],
      ['2026-11-20', { inTime: 1, late: 2 }],
    ]);
    expect(trends.alerts).toEqual({ inTime: 1, late: 2 });
  });

  it('counts the households in home isolation each day, and the check-ins they missed', async () => {
    clock = new Date('2026-11-24T10:00:00').getTime();
    receiver = await startReceiver({ now: () => clock });
    await receiver.store.registerCheckpoints(TWO_COMMUNITIES);
    const office = await receiver.store.createToken('office', 'office', 1);
    const viewer = await receiver.store.createToken('县指挥部', 'viewer', 1, { scope: '汉寿县' });
    const at = (day: number) => new Date(`2026-11-${day}T09:00:00`).getTime();
    const start = make(
      'lj-03',
      'dev-lj-03-a',
      at(12),
      'isolation-start',
      isolationData('2026-11-12', 7),
    );
    // Checked in every day of its seven but the 14th and 16th; released on the 19th.
    const checkIns = [12, 13, 15, 17, 18].map((day) =>
      make('lj-03', 'dev-lj-03-a', at(day), 'isolation-check-in', {
        isolationId: start.id,
        symptomatic: false,
        how: 'door',
        reporter: '张三丰',
        readings: [{ member: 0, celsius: 36.5, symptoms: [] }],
      }),
    );
    const end = make('lj-03', 'dev-lj-03-a', at(19), 'isolation-end', {
      isolationId: start.id,
      outcome: 'completed',
      reason: '期满解除',
    });
    await receiver.upload(office, [start, ...checkIns, end], clock);
    const trends = (await (
      await asked('/api/v1/dashboard?from=2026-11-11&to=2026-11-20', viewer)
    ).json()) as Trends;
    expect(trends.days.map((day) => [day.date.slice(8), day.isolation])).toEqual([
      ['11', { households: 0, missed: 0 }],
      ['12', { households: 1, missed: 0 }],
      ['13', { households: 1, missed: 0 }],
      ['14', { households: 1, missed: 1 }],
      ['15', { households: 1, missed: 0 }],
      ['16', { households: 1, missed: 1 }],
      ['17', { households: 1, missed: 0 }],
      ['18', { households: 1, missed: 0 }],
      ['19', { households: 1, missed: 0 }],
      ['20', { households: 0, missed: 0 }],
    ]);
    expect(trends.missedCheckIns).toBe(2);
  });

  it('ranks the communities and checkpoints that need attention, each linking to its own page, within the viewer’s place', async () => {
    clock = new Date('2026-11-24T10:00:00').getTime();
    receiver = await startReceiver({ now: () => clock });
    await receiver.store.registerCheckpoints(TWO_COMMUNITIES);
    const office = await receiver.store.createToken('office', 'office', 1);
    const county = await receiver.store.createToken('县指挥部', 'viewer', 1, { scope: '汉寿县' });
    const east = await receiver.store.createToken('东岳查看', 'viewer', 1, { scope: '东岳社区' });
    const report = (checkpointId: string, day: number, passesDenied: number) => {
      const checkpoint = TWO_COMMUNITIES.find((one) => one.id === checkpointId);
      return make(
        checkpointId,
        `dev-${checkpointId}`,
        new Date(`2026-11-${day}T20:00:00`).getTime(),
        'daily-report',
        {
          date: `2026-11-${day}`,
          place: {
            county: checkpoint?.county ?? '',
            township: checkpoint?.township ?? '',
            community: checkpoint?.community ?? '',
            courtyard: checkpoint?.courtyard ?? '',
          },
          counts: { ...emptyCounts(), passesDenied },
          zero: true,
          volunteers: [{ name: '李红' }],
        },
      );
    };
    const days = Array.from({ length: 14 }, (_, i) => 10 + i);
    // lj-03: no report on the 12th and 20th, refusals up from 1 a day to 3 a day in the last week.
    const records: KadianRecord[] = [
      ...days
        .filter((day) => day !== 12 && day !== 20)
        .map((day) => report('lj-03', day, day >= 17 ? 3 : 1)),
      ...days.map((day) => report('cg-01', day, 1)),
    ];
    await receiver.upload(office, records, clock);
    // cg-01: a fever alert, arrived on the 23rd, that nobody took.
    clock = new Date('2026-11-23T09:00:00').getTime();
    const fever = make('cg-01', 'dev-cg-01', clock, 'temperature', {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 38.5,
      method: 'forehead',
      fever: true,
    });
    await receiver.upload(office, [fever], clock);
    clock = new Date('2026-11-24T10:00:00').getTime();
    const period = 'from=2026-11-10&to=2026-11-23';
    const trends = (await (await asked(`/api/v1/dashboard?${period}`, county)).json()) as Trends;
    expect(
      trends.attention.checkpoints.map((one) => [
        one.place,
        one.missingDays,
        one.lateAlerts,
        one.refusals,
        one.refusalsRising,
      ]),
    ).toEqual([
      ['lj-03', 2, 0, { before: 6, last: 18 }, true],
      ['cg-01', 0, 1, { before: 7, last: 7 }, false],
    ]);
    expect(
      trends.attention.communities.map((one) => [one.place, one.missingDays, one.lateAlerts]),
    ).toEqual([
      ['东岳社区', 2, 0],
      ['西湖社区', 0, 1],
    ]);
    const page = await (await asked(`/view/dashboard?${period}`, county)).text();
    expect(page).toContain(
      `<a href="/view/dashboard?from=2026-11-10&amp;to=2026-11-23&amp;place=lj-03">龙阳小区北门</a>`,
    );
    // Its own page: the checkpoint's figures alone.
    const own = (await (
      await asked(`/api/v1/dashboard?${period}&place=lj-03`, county)
    ).json()) as Trends;
    expect([own.place, own.days[0]?.checkpoints, own.totals.passesDenied]).toEqual([
      'lj-03',
      1,
      24,
    ]);
    expect(await (await asked(`/view/dashboard?${period}&place=lj-03`, county)).text()).toContain(
      '<h1>龙阳小区北门 防控概况</h1>',
    );
    // A community's viewer may not look at a checkpoint of another community.
    expect((await asked(`/api/v1/dashboard?${period}&place=cg-01`, east)).status).toBe(404);
    expect((await asked(`/api/v1/dashboard?${period}&place=西湖社区`, east)).status).toBe(404);
  });

  it('draws each chart as SVG with its numbers as a table and as CSV, and says the period in one sentence', async () => {
    const { tokens, records } = await county(4);
    const period = 'from=2026-11-10&to=2026-11-23';
    const page = await asked(`/view/dashboard?${period}`, tokens.east);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.match(/<svg /g)).toHaveLength(9);
    expect(html).not.toContain('<script');
    const east = Array.from({ length: 14 }, (_, i) =>
      recount(records, `2026-11-${String(10 + i).padStart(2, '0')}`, '东岳社区'),
    );
    const sum = (key: 'passesIn' | 'passesOut' | 'visitorsIn' | 'outOfAreaVehicles') =>
      east.reduce((n, day) => n + day.totals[key], 0);
    expect(html).toContain(
      `共排查 ${sum('passesIn') + sum('passesOut')} 人次（进 ${sum('passesIn')}，出 ${sum('passesOut')}）`,
    );
    expect(html).toContain(`外地车辆 ${sum('outOfAreaVehicles')} 台`);

    const csv = await asked(`/view/dashboard.csv?${period}&chart=people`, tokens.east);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // A byte-order mark first, for spreadsheets.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split('\r\n')).toEqual([
      '日期,进,出',
      ...east.map(
        (day, i) =>
          `2026-11-${String(10 + i).padStart(2, '0')},${day.totals.passesIn},${day.totals.passesOut}`,
      ),
      '',
    ]);
    expect((await asked(`/view/dashboard.csv?${period}&chart=nothing`, tokens.east)).status).toBe(
      404,
    );
    expect((await asked('/view/dashboard?from=2026-11-23&to=2026-11-10', tokens.east)).status).toBe(
      400,
    );
    expect((await asked('/api/v1/dashboard', tokens.office)).status).toBe(401);
  });
});
