import { afterEach, describe, expect, it } from 'vitest';
import { createIssuer, issuerSigner } from '../../src/app/office/keys';
import { readSyncStatus } from '../../src/db/outbox';
import { readMeta, saveConfig } from '../../src/db/settings';
import { DEFAULT_SYNC } from '../../src/domain/config';
import { encodeConfig } from '../../src/domain/config-code';
import { syncOnce } from '../../src/sync/engine';
import { publishConfig } from '../../src/sync/native';
import { deviceConfig } from '../fixtures/device-config';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { gateRecords, receiverBehind, syncDevice } from './device';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

describe('the office running its gates', () => {
  it('publishes a signed configuration that a gate trusting its key applies at its next sync, and sees the gate report itself', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const { store } = receiver;
    await store.registerCheckpoints(TWO_COMMUNITIES);
    const office = await store.createToken('东岳社区', 'office', Date.now());
    const gateToken = await store.createToken('北门', 'device', Date.now(), {
      deviceId: 'dev-0001',
      checkpointId: 'lj-03',
    });
    const { issuer } = await createIssuer('长沙市龙阳社区 2026', 1);
    const { issuer: stranger } = await createIssuer('另一个社区的口令 2026', 1);
    const officeSync = { ...DEFAULT_SYNC, endpoint, token: office };
    const at = Date.now() - 60_000;
    const published = await encodeConfig(
      { v: 1, kid: issuer.kid, at, keyAreas: { asOf: '2026-12-04', regions: ['上海市浦东新区'] } },
      issuerSigner(issuer),
    );
    expect(await publishConfig(officeSync, published)).toBe(true);
    // A device token may not publish; another office's (untrusted) key publishes a newer one.
    expect(await publishConfig({ ...officeSync, token: gateToken }, published)).toBe(false);
    const foreign = await encodeConfig(
      {
        v: 1,
        kid: stranger.kid,
        at: at + 1000,
        keyAreas: { asOf: '2026-12-04', regions: ['伪造'] },
      },
      issuerSigner(stranger),
    );
    expect(await publishConfig(officeSync, foreign)).toBe(true);

    const device = await syncDevice(endpoint, { token: gateToken });
    await saveConfig(device.db, {
      ...deviceConfig,
      issuerKeys: [issuer.publicKey],
      sync: { ...DEFAULT_SYNC, endpoint, token: gateToken, timeoutMs: 2000 },
    });
    device.env.appVersion = '0.3.0';
    await device.add(gateRecords(3));
    expect(await syncOnce(device.env)).toBe('done');
    const applied = await readMeta(device.db, 'config');
    expect(applied?.keyAreas).toEqual({ asOf: '2026-12-04', regions: ['上海市浦东新区'] });
    expect(applied?.pushed).toEqual({ kid: issuer.kid, at, appliedAt: device.clock.now });

    const list = await (
      await fetch(`${endpoint}/devices`, { headers: { authorization: `Bearer ${office}` } })
    ).json();
    expect(list.devices).toEqual([
      {
        deviceId: 'dev-0001',
        checkpointId: 'lj-03',
        checkpointName: '龙阳小区北门',
        place: { county: '汉寿县', township: '龙阳街道', community: '东岳社区' },
        lastContact: expect.any(Number),
        appVersion: '0.3.0',
        pending: 0,
        clockSkewMs: expect.any(Number),
        configAt: at,
        silent: false,
      },
    ]);
    // Records already made stay as they were.
    expect(await store.recordCount()).toBe(3);
  });

  it('lists a device silent for longer than the limit first, to the office and to its place only', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const { store } = receiver;
    await store.registerCheckpoints(TWO_COMMUNITIES);
    const hour = 60 * 60_000;
    await store.fleet.report(
      { deviceId: 'dev-a', checkpointId: 'lj-03', appVersion: '0.3.0', pending: 0 },
      Date.now(),
    );
    await store.fleet.report(
      { deviceId: 'dev-b', checkpointId: 'lj-03', appVersion: '0.2.0', pending: 12 },
      Date.now() - 2 * hour,
    );
    await store.fleet.report(
      { deviceId: 'dev-c', checkpointId: 'cg-01', appVersion: '0.3.0', pending: 0 },
      Date.now(),
    );
    const viewer = await store.createToken('东岳查看', 'viewer', Date.now(), { scope: '东岳社区' });
    const devices = async (token: string) =>
      (
        (await (
          await fetch(`${endpoint}/devices`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as {
          devices: { deviceId: string; silent: boolean }[];
        }
      ).devices.map((device) => [device.deviceId, device.silent]);
    expect(await devices(viewer)).toEqual([
      ['dev-b', true],
      ['dev-a', false],
    ]);
    const page = await (
      await fetch(`${receiver.origin}/view/devices`, {
        headers: { authorization: `Bearer ${viewer}` },
      })
    ).text();
    expect(page).toContain('1 台设备超过 60 分钟没有联系');
    expect(page).toContain('120 分钟没有联系');
    expect(page).not.toContain('dev-c');
  });
});

describe('a device the office stops', () => {
  it('is refused at its next upload, keeps only what it has not sent, and wipes itself when written off as lost', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    const { store } = receiver;
    const office = await store.createToken('东岳社区', 'office', Date.now());
    const gateToken = await store.createToken('北门', 'device', Date.now(), {
      deviceId: 'dev-0001',
      checkpointId: 'lj-03',
    });
    const device = await syncDevice(endpoint, { token: gateToken });
    await device.add(gateRecords(3));
    expect(await syncOnce(device.env)).toBe('done');
    const stop = (lost: boolean) =>
      fetch(`${endpoint}/devices/dev-0001/stop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lost }),
      });
    // Only the office stops devices.
    expect(
      (
        await fetch(`${endpoint}/devices/dev-0001/stop`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateToken}` },
          body: '{}',
        })
      ).status,
    ).toBe(403);
    expect(await (await stop(false)).json()).toEqual({
      deviceId: 'dev-0001',
      tokensRevoked: 1,
      lost: false,
    });

    // Made mid-day, after the stop: refused at the next upload; the sent are removed, the unsent kept.
    const unsent = gateRecords(2);
    await device.add(unsent);
    device.clock.now += 1000;
    expect(await syncOnce(device.env)).toBe('paused');
    expect((await readSyncStatus(device.db)).paused).toBe('revoked');
    expect((await device.db.records.toArray()).map((row) => row.id).sort()).toEqual(
      unsent.map((record) => record.id).sort(),
    );
    expect(await store.recordCount()).toBe(3);

    // Written off as lost: the answer says so.
    await stop(true);
    expect(await syncOnce(device.env, { force: true })).toBe('paused');
    expect((await readSyncStatus(device.db)).paused).toBe('lost');
    expect(
      (await store.audit.entries()).map((entry) => [entry.action, entry.subject, entry.detail]),
    ).toContainEqual(['token-revoked', 'dev-0001', 'device stopped: lost, not recoverable']);
  });
});
