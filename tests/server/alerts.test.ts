import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { emptyCounts } from '../../src/domain/roll-up';
import { deviceConfig } from '../fixtures/device-config';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const T0 = new Date('2026-12-04T09:00:00').getTime();
let clock = T0;
let serial = 0;
const id = () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;

function reading(checkpointId: string, celsius: number, remeasureOf?: string): KadianRecord {
  const made = makeRecord(
    {
      config: {
        ...deviceConfig,
        deviceId: `dev-${checkpointId}`,
        checkpoint: { id: checkpointId, name: checkpointId },
      },
      now: clock,
      newId: id,
    },
    'temperature',
    {
      subject: { type: 'visitor', name: '张三丰' },
      celsius,
      method: 'forehead',
      fever: celsius >= 37.3,
      ...(remeasureOf && { remeasureOf }),
    },
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}

/** The receiver with two communities' gates, their devices' tokens, and duty and viewer tokens. */
async function county() {
  clock = T0;
  receiver = await startReceiver({ now: () => clock });
  const { store } = receiver;
  await store.registerCheckpoints(TWO_COMMUNITIES);
  const token = (label: string, role: 'device' | 'duty' | 'viewer', bound: object = {}) =>
    store.createToken(label, role, T0, bound);
  return {
    gate: await token('lj-03 gate', 'device', { deviceId: 'dev-lj-03', checkpointId: 'lj-03' }),
    otherGate: await token('cg-01 gate', 'device', {
      deviceId: 'dev-cg-01',
      checkpointId: 'cg-01',
    }),
    community: await token('东岳值班', 'duty', { scope: '东岳社区' }),
    township: await token('龙阳街道值班', 'duty', { scope: '龙阳街道' }),
    otherCommunity: await token('西湖值班', 'duty', { scope: '西湖社区' }),
    viewer: await token('东岳查看', 'viewer', { scope: '东岳社区' }),
  };
}

const api = (path: string, token: string, init: RequestInit = {}) =>
  receiver.api(path, token, init);
const upload = (token: string, records: KadianRecord[]) => receiver.upload(token, records, clock);

const alertsOf = async (token: string, query = '') =>
  (await (await api(`/alerts${query}`, token)).json()) as {
    alerts: { id: string; taken?: { by: string }; closed?: { outcome: string } }[];
    next: number;
  };

/** Server-Sent Events read from a fetch body: each event's id and parsed data, as they come. */
function events(path: string, token: string, lastEventId?: number) {
  const abort = new AbortController();
  const seen: { id: number; alert: { id: string; taken?: { by: string } } }[] = [];
  const done = (async () => {
    const response = await api(path, token, {
      signal: abort.signal,
      headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const field = (name: string) =>
          lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data) seen.push({ id: Number(field('id')), alert: JSON.parse(data).alert });
      }
    }
  })().catch((error: Error) => {
    if (error.name !== 'AbortError') throw error;
  });
  return { seen, close: () => abort.abort(), done };
}

describe('fever alerts at the receiver', () => {
  it('opens one per fever, shown to its gate and to the duty of its place, never to another community', async () => {
    const tokens = await county();
    const fever = reading('lj-03', 38.2);
    clock += 5000;
    expect(await upload(tokens.gate, [fever])).toEqual([{ id: fever.id, status: 'accepted' }]);
    const [alert] = (await alertsOf(tokens.community)).alerts;
    expect(alert).toEqual({
      id: fever.id,
      checkpointId: 'lj-03',
      checkpointName: '龙阳小区北门',
      place: {
        county: '汉寿县',
        township: '龙阳街道',
        community: '东岳社区',
        courtyard: '龙阳小区',
      },
      measuredAt: T0,
      receivedAt: T0 + 5000,
      celsius: 38.2,
      subject: { type: 'visitor', name: '张*丰' },
      atGate: [],
      voided: false,
      escalatesAt: { township: T0 + 5000 + 2 * 60_000, county: T0 + 5000 + 7 * 60_000 },
    });
    expect((await alertsOf(tokens.township)).alerts.map((a) => a.id)).toEqual([fever.id]);
    expect((await alertsOf(tokens.viewer)).alerts.map((a) => a.id)).toEqual([fever.id]);
    expect((await alertsOf(tokens.otherCommunity)).alerts).toEqual([]);
    expect((await alertsOf(tokens.gate, '?since=0')).alerts.map((a) => a.id)).toEqual([fever.id]);
    expect((await alertsOf(tokens.otherGate, '?since=0')).alerts).toEqual([]);
    // A re-measurement is part of the same alert, not another.
    clock += 60_000;
    const again = reading('lj-03', 38.0, fever.id);
    await upload(tokens.gate, [again]);
    const [after] = (await alertsOf(tokens.community)).alerts as unknown as { atGate: unknown }[];
    expect(after?.atGate).toEqual([{ at: T0 + 65_000, celsius: 38 }]);
  });

  it('is taken by the first person on duty to commit, refused to the next, and closed by an outcome', async () => {
    const tokens = await county();
    const fever = reading('lj-03', 38.6);
    await upload(tokens.gate, [fever]);
    const take = (token: string, name: string) =>
      api(`/alerts/${fever.id}/take`, token, { method: 'POST', body: JSON.stringify({ name }) });
    const close = (token: string, body: object) =>
      api(`/alerts/${fever.id}/close`, token, { method: 'POST', body: JSON.stringify(body) });

    const early = await close(tokens.community, { name: '王值班', outcome: 'referred' });
    expect([early.status, await early.json()]).toEqual([
      409,
      { error: 'take the alert before closing it' },
    ]);
    expect((await take(tokens.viewer, '看看')).status).toBe(403);
    expect((await take(tokens.otherCommunity, '西湖')).status).toBe(404);

    clock += 70_000;
    const [first, second] = await Promise.all([
      take(tokens.community, '王值班'),
      take(tokens.township, '李街道'),
    ]);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { alert: { taken: unknown } }).alert.taken).toEqual({
      by: '王值班',
      at: T0 + 70_000,
    });
    expect([second.status, await second.json()]).toEqual([409, { error: 'taken by 王值班' }]);

    const noNote = await close(tokens.community, { name: '王值班', outcome: 'other' });
    expect([noNote.status, await noNote.json()]).toEqual([409, { error: 'data.note: required' }]);
    clock += 600_000;
    const closed = await close(tokens.community, { name: '王值班', outcome: 'referred' });
    expect(((await closed.json()) as { alert: { closed: unknown } }).alert.closed).toEqual({
      by: '王值班',
      at: T0 + 670_000,
      outcome: 'referred',
    });
    // Both are records made at the receiver, under the alert's checkpoint.
    const made = await receiver.store.recordsOfKinds(
      ['fever-alert-taken', 'fever-alert-closed'],
      T0,
      clock,
    );
    expect(
      made.map(({ kind, checkpointId, deviceId, volunteer, recordedAt, data }) => ({
        kind,
        checkpointId,
        deviceId,
        volunteer,
        recordedAt,
        data,
      })),
    ).toEqual([
      {
        kind: 'fever-alert-taken',
        checkpointId: 'lj-03',
        deviceId: 'receiver',
        volunteer: { name: '王值班' },
        recordedAt: T0 + 70_000,
        data: { alertId: fever.id },
      },
      {
        kind: 'fever-alert-closed',
        checkpointId: 'lj-03',
        deviceId: 'receiver',
        volunteer: { name: '王值班' },
        recordedAt: T0 + 670_000,
        data: { alertId: fever.id, outcome: 'referred' },
      },
    ]);
    // The roll-up's open fevers follow the alert's closing.
    const day = (await (await api('/reports/daily?date=2026-12-04', tokens.community)).json()) as {
      openFevers: unknown[];
    };
    expect(day.openFevers).toEqual([]);
  });

  it('shows in the roll-up, at every level, how fast alerts were taken and how many not within two minutes', async () => {
    const tokens = await county();
    const take = (id: string, token: string) =>
      api(`/alerts/${id}/take`, token, {
        method: 'POST',
        body: JSON.stringify({ name: '王值班' }),
      });
    const quick = reading('lj-03', 38.1);
    const slow = reading('lj-03', 38.9);
    await upload(tokens.gate, [quick, slow]);
    const untaken = reading('cg-01', 39.2);
    await upload(tokens.otherGate, [untaken]);
    clock += 70_000;
    await take(quick.id, tokens.community);
    clock += 130_000;
    await take(slow.id, tokens.township);
    const day = (await (await api('/reports/daily?date=2026-12-04', tokens.township)).json()) as {
      alerts: unknown;
      counties: { alerts: unknown; children: { name: string; alerts: unknown }[] }[];
    };
    const lj = { alerts: 2, taken: 2, medianMs: 70_000, p90Ms: 200_000, notTakenInTime: 1 };
    expect(day.alerts).toEqual(lj);
    expect(day.counties[0]?.children.map((township) => [township.name, township.alerts])).toEqual([
      ['龙阳街道', lj],
    ]);
    // The county's figures hold the other township's untaken alert too (200 s old by now).
    const wholeCounty = await receiver.store.createToken('县查看', 'viewer', T0, {
      scope: '汉寿县',
    });
    const all = (await (await api('/reports/daily?date=2026-12-04', wholeCounty)).json()) as {
      alerts: unknown;
    };
    expect(all.alerts).toEqual({
      alerts: 3,
      taken: 2,
      medianMs: 70_000,
      p90Ms: 200_000,
      notTakenInTime: 2,
    });
    const page = await (
      await fetch(`${receiver.origin}/view/daily?date=2026-12-04`, {
        headers: { authorization: `Bearer ${wholeCounty}` },
      })
    ).text();
    expect(page).toContain(
      '<td class="n">3</td><td class="n">2</td><td class="n">1 分 10 秒</td><td class="n">3 分 20 秒</td><td class="n">2</td>',
    );
  });

  it('places a checkpoint the registry does not list by its daily report, for the duty of that place', async () => {
    const tokens = await county();
    const made = makeRecord(
      {
        config: {
          ...deviceConfig,
          deviceId: 'dev-new',
          checkpoint: { id: 'new-1', name: '新卡口' },
        },
        now: clock,
        newId: id,
      },
      'daily-report',
      {
        date: '2026-12-04',
        place: {
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '新小区',
        },
        counts: emptyCounts(),
        zero: true,
        volunteers: [{ name: '李红' }],
      },
    );
    if (!made.ok) throw new Error('invalid');
    const gate = await receiver.store.createToken('new gate', 'device', T0, {
      deviceId: 'dev-new',
      checkpointId: 'new-1',
    });
    const fever = { ...reading('lj-03', 38.3), deviceId: 'dev-new', checkpointId: 'new-1' };
    await upload(gate, [fever]);
    expect((await alertsOf(tokens.community)).alerts).toEqual([]);
    await upload(gate, [made.value]);
    expect((await alertsOf(tokens.community)).alerts.map((alert) => alert.id)).toEqual([fever.id]);
  });

  it('says who is on duty now at each level of the alert’s place, by the roster the office keeps', async () => {
    const tokens = await county();
    const office = await receiver.store.createToken('东岳社区办公室', 'office', T0);
    const put = (body: object, token = office) =>
      api('/roster', token, { method: 'POST', body: JSON.stringify(body) });
    const day = { from: T0 - 60_000, to: T0 + 12 * 3600_000 };
    expect(
      (await put({ place: '东岳社区', name: '王值班', phone: '13900139000', ...day })).status,
    ).toBe(201);
    expect(
      (await put({ place: '龙阳街道', name: '李街道', phone: '13700137000', ...day })).status,
    ).toBe(201);
    expect(
      (
        await put(
          { place: '东岳社区', name: '冒名', phone: '13600136000', ...day },
          tokens.community,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await put({
          place: '东岳社区',
          name: '反了',
          phone: '13600136000',
          from: day.to,
          to: day.from,
        })
      ).status,
    ).toBe(400);
    const fever = reading('lj-03', 38.4);
    await upload(tokens.gate, [fever]);
    const [alert] = (await alertsOf(tokens.community)).alerts as unknown as { onDuty: unknown }[];
    expect(alert?.onDuty).toEqual({
      community: { name: '王值班', phone: '13900139000' },
      township: { name: '李街道', phone: '13700137000' },
    });
    const roster = await (await api('/roster?place=东岳社区', tokens.gate)).json();
    expect(roster).toEqual({
      roster: [{ id: 1, place: '东岳社区', name: '王值班', phone: '13900139000', ...day }],
    });
    expect((await receiver.store.audit.entries())[0]).toMatchObject({
      actor: '东岳社区办公室',
      action: 'roster-changed',
      subject: '龙阳街道',
    });
  });

  it('refuses alert records a device sends, as they are made at the receiver', async () => {
    const tokens = await county();
    const forged = {
      ...reading('lj-03', 36.5),
      kind: 'fever-alert-taken',
      data: { alertId: '0192f0a4-3b7d-7c35-9a51-999999999999' },
    } as unknown as KadianRecord;
    expect(await upload(tokens.gate, [forged])).toEqual([
      {
        id: forged.id,
        status: 'rejected',
        error: 'alerts are taken and closed at the receiver (POST /alerts/{id}/take, /close)',
      },
    ]);
  });

  it('streams every change as it commits, and replays after the last event id without repeating any', async () => {
    const tokens = await county();
    const first = reading('lj-03', 38.1);
    await upload(tokens.gate, [first]);
    const live = events('/alerts/events', tokens.township, 0);
    await expect.poll(() => live.seen.map((event) => event.alert.id)).toEqual([first.id]);
    const second = reading('lj-03', 39.0);
    await upload(tokens.gate, [second]);
    // Another community's fever is not on this township's stream.
    await upload(tokens.otherGate, [reading('cg-01', 38.8)]);
    await api(`/alerts/${first.id}/take`, tokens.community, {
      method: 'POST',
      body: JSON.stringify({ name: '王值班' }),
    });
    await expect
      .poll(() => live.seen.map((event) => [event.alert.id, event.alert.taken?.by]))
      .toEqual([
        [first.id, undefined],
        [second.id, undefined],
        [first.id, '王值班'],
      ]);
    const ids = live.seen.map((event) => event.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    live.close();
    await live.done;

    // The link drops after the second event; the page reconnects with the last id it saw.
    const third = reading('lj-03', 38.4);
    await upload(tokens.gate, [third]);
    const resumed = events('/alerts/events', tokens.township, ids[1]);
    await expect
      .poll(() => resumed.seen.map((event) => [event.alert.id, event.alert.taken?.by]))
      .toEqual([
        [first.id, '王值班'],
        [third.id, undefined],
      ]);
    resumed.close();
    await resumed.done;
  });
});
