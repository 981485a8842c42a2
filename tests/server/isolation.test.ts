import { addDays, format } from 'date-fns';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../src/domain/config';
import { checkInData, everyoneSame, type Symptom } from '../../src/domain/isolation-draft';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData, RecordKind, RecordOfKind } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

let clock = 0;
let serial = 0;
const newId = () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;
/** A moment of a December day, device time. */
const at = (day: number, time: string) =>
  new Date(`2026-12-${String(day).padStart(2, '0')}T${time}`).getTime();
const dayText = (day: number) =>
  format(addDays(new Date('2026-12-01T12:00:00'), day - 1), 'yyyy-MM-dd');

const gateOf = (checkpointId: string): DeviceConfig => ({
  ...deviceConfig,
  deviceId: `dev-${checkpointId}`,
  checkpoint: { id: checkpointId, name: checkpointId },
});

function make<K extends RecordKind>(checkpointId: string, kind: K, data: RecordData<K>) {
  const made = makeRecord({ config: gateOf(checkpointId), now: clock, newId }, kind, data);
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value as RecordOfKind<K>;
}

async function county() {
  receiver = await startReceiver({ now: () => clock });
  const { store } = receiver;
  await store.registerCheckpoints(TWO_COMMUNITIES);
  const token = (label: string, role: 'device' | 'duty' | 'viewer' | 'office', bound = {}) =>
    store.createToken(label, role, at(1, '08:00:00'), bound);
  return {
    gate: await token('lj-03 gate', 'device', { deviceId: 'dev-lj-03', checkpointId: 'lj-03' }),
    otherGate: await token('cg-01 gate', 'device', {
      deviceId: 'dev-cg-01',
      checkpointId: 'cg-01',
    }),
    office: await token('office', 'office'),
    county: await token('汉寿县查看', 'viewer', { scope: '汉寿县' }),
    community: await token('东岳值班', 'duty', { scope: '东岳社区' }),
  };
}

const api = (path: string, token: string, init: RequestInit = {}) =>
  receiver.api(path, token, init);
const upload = (token: string, records: KadianRecord[]) => receiver.upload(token, records, clock);

const pull = async (token: string, since: number) =>
  (await (await api(`/isolations?since=${since}`, token)).json()) as {
    records: KadianRecord[];
    next: number;
  };

function start(checkpointId: string, startDay: string, members: string[], address: string) {
  return make(checkpointId, 'isolation-start', {
    address,
    members: members.map((name) => ({ name })),
    phone: '13912345678',
    startDay,
    days: 14,
    reason: '密切接触者',
    responsible: { checkpointId },
  });
}

function checkIn(
  start: RecordOfKind<'isolation-start'>,
  celsius = '36.5',
  symptoms: Symptom[] = [],
) {
  const readings = start.data.members.map(() => ({ celsius, symptoms }));
  return make(
    start.checkpointId,
    'isolation-check-in',
    checkInData(start.id, everyoneSame({ how: 'door', reporter: '张三丰', readings }), 37.3),
  );
}

describe('home isolation at the receiver', () => {
  it('serves each gate its own checkpoint’s isolation records by cursor, and the office all', async () => {
    const tokens = await county();
    clock = at(1, '10:00:00');
    const ours = start('lj-03', '2026-12-01', ['张三丰', '张翠山'], '5栋1单元101');
    const theirs = start('cg-01', '2026-12-01', ['殷素素'], '2栋301');
    expect(await upload(tokens.gate, [ours])).toEqual([{ id: ours.id, status: 'accepted' }]);
    expect(await upload(tokens.otherGate, [theirs])).toEqual([
      { id: theirs.id, status: 'accepted' },
    ]);
    clock = at(1, '11:00:00');
    const first = checkIn(ours);
    const wrong = make('lj-03', 'void', { targetId: first.id, reason: '体温输错' });
    await upload(tokens.gate, [first, wrong]);

    const all = await pull(tokens.gate, 0);
    expect(all.records.map((record) => record.id)).toEqual([ours.id, first.id, wrong.id]);
    // From its cursor, nothing new; the other gate sees only its own; the office sees every one.
    expect(await pull(tokens.gate, all.next)).toEqual({ records: [], next: all.next });
    expect((await pull(tokens.otherGate, 0)).records.map((record) => record.id)).toEqual([
      theirs.id,
    ]);
    expect((await pull(tokens.office, 0)).records.map((record) => record.id)).toEqual([
      ours.id,
      theirs.id,
      first.id,
      wrong.id,
    ]);
    expect((await api('/isolations?since=-1', tokens.gate)).status).toBe(400);
    expect((await api('/isolations?since=0', tokens.county)).status).toBe(403);
  });

  it('refuses a gate’s isolation for another checkpoint, and takes the office’s for any', async () => {
    const tokens = await county();
    clock = at(1, '10:00:00');
    const elsewhere = make('lj-03', 'isolation-start', {
      ...start('lj-03', '2026-12-01', ['张三丰'], '5栋1单元101').data,
      responsible: { checkpointId: 'cg-01' },
    });
    expect(await upload(tokens.gate, [elsewhere])).toEqual([
      {
        id: elsewhere.id,
        status: 'rejected',
        error: 'data.responsible.checkpointId: this token belongs to checkpoint lj-03',
      },
    ]);
    expect(await upload(tokens.office, [elsewhere])).toEqual([
      { id: elsewhere.id, status: 'accepted' },
    ]);
    expect((await pull(tokens.otherGate, 0)).records.map((record) => record.id)).toEqual([
      elsewhere.id,
    ]);
  });

  it('raises a fever alert for a symptomatic check-in only, named by its address and masked member', async () => {
    const tokens = await county();
    clock = at(2, '09:00:00');
    const household = start('lj-03', '2026-12-01', ['张三丰', '张翠山'], '5栋1单元101');
    const well = checkIn(household, '36.6', ['cough']);
    const breathless = checkIn(household, '36.9', ['breathing']);
    // The second member feels feverish at 36.8 while the first reads a higher 37.1: the alert
    // names the one whose symptom raised it.
    const felt = make(
      'lj-03',
      'isolation-check-in',
      checkInData(
        household.id,
        {
          how: 'phone',
          reporter: '张三丰',
          readings: [
            { celsius: '37.1', symptoms: [] },
            { celsius: '36.8', symptoms: ['fever'] },
          ],
        },
        37.3,
      ),
    );
    await upload(tokens.gate, [household, well, breathless, felt]);
    const { alerts } = (await (await api('/alerts', tokens.community)).json()) as {
      alerts: { id: string; celsius: number; subject: object }[];
    };
    expect(alerts.map(({ id, celsius, subject }) => ({ id, celsius, subject }))).toEqual([
      {
        id: breathless.id,
        celsius: 36.9,
        subject: { type: 'isolation', ref: '5栋1单元101', name: '张*丰', symptoms: ['breathing'] },
      },
      {
        id: felt.id,
        celsius: 36.8,
        subject: { type: 'isolation', ref: '5栋1单元101', name: '张*山', symptoms: ['fever'] },
      },
    ]);
  });

  it('sums a fortnight’s check-ins per level day by day, lists the households that missed, and flags two days running', async () => {
    const tokens = await county();
    // Two households: 东岳 from 1 December (missing days 4 and 5, symptomatic on day 8, released
    // on day 14 after that day's check-in); 西湖 from 3 December (missing day 6).
    const plan: {
      checkpointId: string;
      first: number;
      missed: number[];
      symptomatic: number[];
      releasedOn?: number;
    }[] = [
      { checkpointId: 'lj-03', first: 1, missed: [4, 5], symptomatic: [8], releasedOn: 14 },
      { checkpointId: 'cg-01', first: 3, missed: [6], symptomatic: [], releasedOn: undefined },
    ];
    clock = at(1, '08:30:00');
    const starts = plan.map((household, i) =>
      start(
        household.checkpointId,
        dayText(household.first),
        ['张三丰', '张翠山', '殷素素'],
        `${i + 1}栋101`,
      ),
    );
    await upload(tokens.gate, [starts[0] as KadianRecord]);
    await upload(tokens.otherGate, [starts[1] as KadianRecord]);

    type Counts = Record<
      'households' | 'checkedIn' | 'missed' | 'symptomatic' | 'released',
      number
    >;
    const daily = async (day: number) =>
      (await (await api(`/reports/daily?date=${dayText(day)}`, tokens.county)).json()) as {
        isolation: Counts;
        counties: { isolation: Counts; children: { name: string; isolation: Counts }[] }[];
        nonReporting: {
          community: string;
          address: string;
          name: string;
          phone: string;
          missedDays: number;
          twoDaysRunning: boolean;
        }[];
      };
    for (let day = 1; day <= 15; day++) {
      // Before the day's cutoff nobody has missed today.
      clock = at(day, '07:00:00');
      const morning = await daily(day);
      expect(morning.isolation.missed).toBe(0);
      for (const [i, household] of plan.entries()) {
        const own = starts[i] as RecordOfKind<'isolation-start'>;
        const token = i === 0 ? tokens.gate : tokens.otherGate;
        if (day < household.first || household.missed.includes(day)) continue;
        if (household.releasedOn !== undefined && day > household.releasedOn) continue;
        clock = at(day, '09:00:00');
        const sick = household.symptomatic.includes(day);
        await upload(token, [checkIn(own, sick ? '37.9' : '36.5')]);
        if (day === household.releasedOn) {
          clock = at(day, '12:00:00');
          await upload(token, [
            make(own.checkpointId, 'isolation-end', {
              isolationId: own.id,
              outcome: 'completed',
              reason: '期满无症状',
            }),
          ]);
        }
      }
      // After the cutoff: what this script expects, counted from its own plan.
      clock = at(day, '21:00:00');
      const followed = plan.filter(
        (household) =>
          household.first <= day &&
          (household.releasedOn === undefined || day <= household.releasedOn),
      );
      const expected = {
        households: followed.length,
        checkedIn: followed.filter((household) => !household.missed.includes(day)).length,
        missed: followed.filter((household) => household.missed.includes(day)).length,
        symptomatic: followed.filter((household) => household.symptomatic.includes(day)).length,
        released: followed.filter((household) => household.releasedOn === day).length,
      };
      const evening = await daily(day);
      expect(evening.isolation, `day ${day}`).toEqual(expected);
      expect(evening.counties[0]?.isolation).toEqual(expected);
      expect(
        evening.nonReporting.map(({ community, address, missedDays, twoDaysRunning }) => ({
          community,
          address,
          missedDays,
          twoDaysRunning,
        })),
        `day ${day}`,
      ).toEqual(
        plan.flatMap((household, i) =>
          household.missed.includes(day)
            ? [
                {
                  community: i === 0 ? '东岳社区' : '西湖社区',
                  address: `${i + 1}栋101`,
                  missedDays: household.missed.filter((missed) => missed <= day).length,
                  twoDaysRunning: household.missed.includes(day - 1),
                },
              ]
            : [],
        ),
      );
    }
    // Masked in the list; the township level has only its own community's households.
    clock = at(5, '21:00:00');
    const fifth = await daily(5);
    expect(fifth.nonReporting).toEqual([
      {
        isolationId: starts[0]?.id,
        checkpointId: 'lj-03',
        community: '东岳社区',
        address: '1栋101',
        name: '张*丰',
        phone: '139****5678',
        missedDays: 2,
        twoDaysRunning: true,
      },
    ]);
    const townships = fifth.counties[0]?.children.map(({ name, isolation }) => [name, isolation]);
    expect(townships).toEqual([
      ['城关镇', { households: 1, checkedIn: 1, missed: 0, symptomatic: 0, released: 0 }],
      ['龙阳街道', { households: 1, checkedIn: 0, missed: 1, symptomatic: 0, released: 0 }],
    ]);
    const page = await (
      await fetch(`${receiver.origin}/view/daily?date=2026-12-05`, {
        headers: { authorization: `Bearer ${tokens.county}` },
      })
    ).text();
    expect(page).toContain(
      '1栋101 张*丰 139****5678 · lj-03 · 共未报 2 天 <strong>连续两天未报</strong>',
    );
  });
});
