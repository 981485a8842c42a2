import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { emptyCounts } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const GATES = {
  'lj-03': { township: '龙阳街道', community: '东岳社区', courtyard: '龙阳小区' },
  'cg-01': { township: '城关镇', community: '西湖社区', courtyard: '城关小区' },
} as const;
type Gate = keyof typeof GATES;

function make<K extends KadianRecord['kind']>(
  gate: Gate,
  kind: K,
  time: string,
  data: RecordData<K>,
) {
  const config = { ...deviceConfig, deviceId: `dev-${gate}`, checkpoint: { id: gate, name: gate } };
  const made = makeRecord(
    { config, now: new Date(`2026-12-04T${time}`).getTime(), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

/** A day at a gate: its report, a visitor, and two exits of one pass (over a quota of 1 a day). */
function dayAt(gate: Gate): KadianRecord[] {
  const place = { county: '汉寿县', ...GATES[gate] };
  const exit = (time: string) =>
    make(gate, 'pass-scan', '08:00:00'.replace('08', time), {
      passId: `1a2b3c4d-${gate}`,
      householdId: `hh-${gate}`,
      direction: 'out',
      verdict: 'allowed',
    });
  return [
    exit('08'),
    exit('15'),
    make(gate, 'visitor-in', '10:00:00', {
      name: gate === 'lj-03' ? '赵六' : '钱七',
      idType: 'none',
      from: { region: '常德市', keyArea: false },
      visiting: '5栋',
      purpose: '探亲',
    }),
    make(gate, 'daily-report', '21:00:00', {
      date: '2026-12-04',
      place,
      counts: { ...emptyCounts(), passesOut: 2, visitorsIn: 1 },
      zero: false,
      volunteers: [{ name: '李红' }],
    }),
  ];
}

describe('a viewer scoped to a community', () => {
  it('sees its community’s roll-up, quota flags and visitors, and nothing of another', async () => {
    receiver = await startReceiver({ quota: { n: 1, days: 1 }, reportDeadline: '20:00' });
    await receiver.store.registerCheckpoints(
      (Object.keys(GATES) as Gate[]).map((id) => ({
        id,
        name: id,
        county: '汉寿县',
        ...GATES[id],
      })),
    );
    for (const gate of Object.keys(GATES) as Gate[]) {
      const records = dayAt(gate);
      const key = crypto.randomUUID();
      const response = await fetch(`${receiver.endpoint}/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ deviceId: `dev-${gate}`, batchId: key, frozenAt: 1, records }),
      });
      expect(response.status).toBe(200);
    }
    const viewer = await receiver.store.createToken('东岳查看', 'viewer', Date.now(), {
      scope: '东岳社区',
    });
    const county = await receiver.store.createToken('县查看', 'viewer', Date.now(), {
      scope: '汉寿县',
    });
    const get = (path: string, token: string) =>
      fetch(`${receiver.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });

    const day = async (token: string) =>
      (await (await get('/api/v1/reports/daily?date=2026-12-04', token)).json()) as {
        checkpoints: number;
        totals: { passesOut: number };
        counties: { children: { name: string }[] }[];
        submitted: unknown;
      };
    const mine = await day(viewer);
    expect([mine.checkpoints, mine.totals.passesOut]).toEqual([1, 2]);
    // Its report came at 21:00, after the 20:00 deadline.
    expect(mine.submitted).toEqual({ deadline: '20:00', onTime: 0, late: 1, missing: 0 });
    expect(mine.counties.flatMap((c) => c.children.map((t) => t.name))).toEqual(['龙阳街道']);
    const all = await day(county);
    expect([all.checkpoints, all.totals.passesOut]).toEqual([2, 4]);

    const flags = async (token: string) =>
      (
        (await (await get('/api/v1/flags?date=2026-12-04', token)).json()) as {
          flags: { passId: string }[];
        }
      ).flags.map((flag) => flag.passId);
    expect(await flags(viewer)).toEqual(['1a2b3c4d-lj-03']);
    expect((await flags(county)).sort()).toEqual(['1a2b3c4d-cg-01', '1a2b3c4d-lj-03']);

    const visitors = await (await get('/view/visitors?date=2026-12-04', viewer)).text();
    expect(visitors).toContain('赵六');
    expect(visitors).not.toContain('钱七');
    const daily = await (await get('/view/daily?date=2026-12-04', viewer)).text();
    expect(daily).toContain('东岳社区');
    expect(daily).not.toContain('西湖社区');
  });
});
