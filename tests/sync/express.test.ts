import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../src/sync/engine';
import { sendAlerts } from '../../src/sync/express';
import type { startReceiver } from '../server/harness';
import { gateRecords, receiverBehind, syncDevice } from './device';
import type { Fault } from './fault-proxy';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

const storedFever = async (receiver: Awaited<ReturnType<typeof startReceiver>>, id: string) =>
  (await receiver.store.recordIds()).filter((stored) => stored === id).length;

describe('the alert lane', () => {
  it('sends a fever at once, on its own, while a long batch of the main queue holds its lock', async () => {
    let held = false;
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) => {
      // The first main batch hangs until the device's timeout.
      if (seen.path === '/api/v1/batches' && JSON.parse(seen.body).records.length > 1 && !held) {
        held = true;
        return 'hang';
      }
      return 'pass';
    });
    const device = await syncDevice(endpoint, { batchSize: 200, timeoutMs: 3000 });
    await device.add(gateRecords(200));
    const [fever] = gateRecords(5, { fevers: true }).slice(4);
    const mainRun = syncOnce(device.env);
    await expect.poll(() => held).toBe(true);
    await device.add([fever as NonNullable<typeof fever>]);
    const feverId = fever?.id ?? '';
    expect(await sendAlerts(device.env)).toBe('done');
    expect(await storedFever(receiver, feverId)).toBe(1);
    const sent = proxy.seen.filter((seen) => seen.key === `alert-${feverId}`);
    expect(
      sent.map((seen) => JSON.parse(seen.body).records.map((r: { id: string }) => r.id)),
    ).toEqual([[feverId]]);
    expect((await device.db.express.get(feverId))?.deliveredAt).toBe(device.clock.now);
    expect(await mainRun).toBe('stopped');
    // The main queue sends it too: a duplicate, never a second fever or a second alert.
    expect(await syncOnce(device.env, { force: true })).toBe('done');
    expect(await receiver.store.recordCount()).toBe(201);
    expect(
      (await receiver.store.alerts.alertsBetween(0, Date.now() + 60_000, 'all')).map((a) => a.id),
    ).toEqual([feverId]);
  });

  it('delivers each fever exactly once through a 500 after commit and a dropped connection, resending the same body under the same key', async () => {
    const faults: Fault[] = ['fail-after-commit', 'drop-after-commit', 'pass'];
    const { receiver, proxy, endpoint } = await receiverBehind(stops, (seen) =>
      seen.key?.startsWith('alert-') ? (faults.shift() ?? 'pass') : 'pass',
    );
    const device = await syncDevice(endpoint);
    const fever = gateRecords(5, { fevers: true })[4];
    await device.add([fever as NonNullable<typeof fever>]);
    expect(await sendAlerts(device.env)).toBe('failed');
    expect(await sendAlerts(device.env)).toBe('failed');
    expect(await sendAlerts(device.env)).toBe('done');
    const sent = proxy.seen.filter((seen) => seen.key?.startsWith('alert-'));
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((seen) => seen.bodyHash)).size).toBe(1);
    expect(await storedFever(receiver, fever?.id ?? '')).toBe(1);
    expect((await device.db.express.get(fever?.id ?? ''))?.attempts).toBe(2);
    // Delivered: nothing more is sent in this lane.
    expect(await sendAlerts(device.env)).toBe('done');
    expect(proxy.seen.filter((seen) => seen.key?.startsWith('alert-'))).toHaveLength(3);
  });

  it('learns who took the alert and how it was closed', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint);
    const fever = gateRecords(5, { fevers: true })[4];
    const id = fever?.id ?? '';
    await device.add([fever as NonNullable<typeof fever>]);
    expect(await sendAlerts(device.env)).toBe('done');
    const act = (verb: string, body: object) =>
      fetch(`${receiver.endpoint}/alerts/${id}/${verb}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await act('take', { name: '王值班', phone: '13900139000' })).status).toBe(200);
    expect(await sendAlerts(device.env)).toBe('done');
    expect((await device.db.alerts.get(id))?.taken).toMatchObject({
      by: '王值班',
      phone: '13900139000',
    });
    expect((await act('close', { name: '王值班', outcome: 'referred' })).status).toBe(200);
    // The main queue's run reads them too.
    expect(await syncOnce(device.env, { force: true })).toBe('done');
    expect((await device.db.alerts.get(id))?.closed).toMatchObject({
      by: '王值班',
      outcome: 'referred',
    });
  });

  it('waits for the main run to trade an enrolment code, rather than claim it twice', async () => {
    const { proxy, endpoint } = await receiverBehind(stops, () => 'pass');
    const device = await syncDevice(endpoint, { enrolment: 'one-time-code' });
    const fever = gateRecords(5, { fevers: true })[4];
    await device.add([fever as NonNullable<typeof fever>]);
    expect(await sendAlerts(device.env)).toBe('waiting');
    expect(proxy.seen).toEqual([]);
  });
});
