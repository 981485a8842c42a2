import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { emptyCounts } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

/** Where lj-03 is, as its daily reports say. */
const PLACE = {
  county: '汉寿县',
  township: '龙阳街道',
  community: '东岳社区',
  courtyard: '龙阳小区',
};
const north = { ...deviceConfig, deviceId: 'dev-north', checkpoint: { id: 'lj-03', name: '北门' } };
function make<K extends KadianRecord['kind']>(kind: K, time: string, data: RecordData<K>) {
  const made = makeRecord(
    { config: north, now: new Date(`2026-11-${time}`).getTime(), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
}

async function upload(records: KadianRecord[]) {
  const key = crypto.randomUUID();
  const response = await fetch(`${receiver.endpoint}/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ deviceId: 'dev-north', batchId: key, frozenAt: 1, records }),
  });
  expect(response.status).toBe(200);
}

describe('the receiver’s daily roll-up', () => {
  it('adds up the reports received, lists a registered checkpoint that did not report, and open fevers', async () => {
    receiver = await startReceiver();
    await receiver.store.registerCheckpoints([
      { id: 'lj-03', name: '龙阳小区北门' },
      {
        id: 'lj-09',
        name: '詹家小区东门',
        county: '汉寿县',
        township: '龙阳街道',
        community: '东岳社区',
        courtyard: '詹家小区',
      },
    ]);
    const fever = make('temperature', '28T09:00:00', {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 37.9,
      method: 'forehead',
      fever: true,
    });
    const counts = { ...emptyCounts(), passesIn: 12, passesOut: 9, temperatures: 30, fevers: 1 };
    await upload([
      fever,
      make('daily-report', '28T21:00:00', {
        date: '2026-11-28',
        place: PLACE,
        counts,
        zero: false,
        volunteers: [{ name: '李红' }],
      }),
    ]);
    // A checkpoint never registered, known only because it sent records: listed as missing too.
    const stranger = makeRecord(
      {
        config: { ...north, deviceId: 'dev-x', checkpoint: { id: 'xx-01', name: 'x' } },
        now: new Date('2026-11-28T10:00:00').getTime(),
        newId: () => crypto.randomUUID(),
      },
      'shift',
      { action: 'start' },
    );
    if (!stranger.ok) throw new Error('invalid');
    await upload([stranger.value]);

    const response = await fetch(`${receiver.endpoint}/reports/daily?date=2026-11-28`);
    expect(response.status).toBe(200);
    const day = await response.json();
    expect(day.totals).toEqual(counts);
    expect([day.reported, day.checkpoints]).toEqual([1, 3]);
    expect(day.missing.map((checkpoint: { id: string }) => checkpoint.id)).toEqual([
      'lj-09',
      'xx-01',
    ]);
    expect(day.counties.map((county: { name: string }) => county.name)).toEqual(['汉寿县', '—']);
    expect(day.openFevers).toEqual([
      {
        id: fever.id,
        checkpointId: 'lj-03',
        deviceId: 'dev-north',
        at: fever.recordedAt,
        celsius: 37.9,
        name: '张三丰',
        subject: 'visitor',
      },
    ]);

    const html = await (await fetch(`${receiver.origin}/view/daily?date=2026-11-28`)).text();
    expect(html).toContain('<h1>卡点日报汇总 2026-11-28</h1>');
    expect(html).toContain('<td>合计</td><td>1 / 3</td><td class="n">12</td><td class="n">9</td>');
    expect(html).toContain(
      '<h2>未报的卡点（2）</h2><ul><li>詹家小区东门（lj-09）</li><li>xx-01（xx-01）</li></ul>',
    );
    expect(html).toContain('<td>　　　　龙阳小区北门（龙阳小区）</td><td>已报（1 台设备）</td>');
    expect(html).toContain(
      '<td>　　　　詹家小区东门（詹家小区）</td><td><strong>未报</strong></td>',
    );
    // Names of people with fever are masked on the page.
    expect(html).toContain('<td>张*丰</td><td>37.9 °C</td>');
    expect(html).not.toContain('张三丰');
  });

  it('leaves out a voided report: the device’s report before it stands, or none', async () => {
    receiver = await startReceiver();
    const report = (time: string, passesIn: number) =>
      make('daily-report', time, {
        date: '2026-11-28',
        place: PLACE,
        counts: { ...emptyCounts(), passesIn },
        zero: true,
        volunteers: [{ name: '李红' }],
      });
    const first = report('28T20:00:00', 12);
    const wrong = report('28T21:00:00', 0);
    await upload([first, wrong]);
    const day = async () =>
      (await fetch(`${receiver.endpoint}/reports/daily?date=2026-11-28`)).json();
    expect((await day()).totals.passesIn).toBe(0);
    await upload([make('void', '29T08:00:00', { targetId: wrong.id, reason: '报错了' })]);
    expect((await day()).totals.passesIn).toBe(12);
    await upload([make('void', '29T08:01:00', { targetId: first.id, reason: '也错了' })]);
    const none = await day();
    expect([none.totals.passesIn, none.reported]).toEqual([0, 0]);
    expect(none.missing.map((checkpoint: { id: string }) => checkpoint.id)).toEqual(['lj-03']);
  });

  it('leaves out a report whose void arrived before it (another device of the checkpoint sent it first)', async () => {
    receiver = await startReceiver();
    const report = make('daily-report', '28T20:00:00', {
      date: '2026-11-28',
      place: PLACE,
      counts: { ...emptyCounts(), passesIn: 12 },
      zero: true,
      volunteers: [{ name: '李红' }],
    });
    await upload([make('void', '28T21:00:00', { targetId: report.id, reason: '报错了' })]);
    await upload([report]);
    const day = await (await fetch(`${receiver.endpoint}/reports/daily?date=2026-11-28`)).json();
    expect([day.totals.passesIn, day.reported]).toEqual([0, 0]);
  });

  it('is for viewer tokens only', async () => {
    receiver = await startReceiver();
    const device = await receiver.store.createToken('north', 'device', 1);
    const viewer = await receiver.store.createToken('township', 'viewer', 1);
    const asked = (token: string) =>
      fetch(`${receiver.endpoint}/reports/daily?date=2026-11-28`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await asked(device)).status).toBe(401);
    expect((await asked(viewer)).status).toBe(200);
    const page = await fetch(`${receiver.origin}/view/daily?date=2026-11-28`, {
      headers: { authorization: `Basic ${Buffer.from(`镇:${viewer}`).toString('base64')}` },
    });
    expect(page.status).toBe(200);
  });
});
