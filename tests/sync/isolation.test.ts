import { afterEach, describe, expect, it } from 'vitest';
import { readIsolations } from '../../src/db/isolations';
import { purgeOld } from '../../src/db/retention';
import { saveConfig } from '../../src/db/settings';
import { DEFAULT_SYNC } from '../../src/domain/config';
import { DAY_MS } from '../../src/domain/day';
import { checkInData, everyoneSame } from '../../src/domain/isolation-draft';
import { makeRecord } from '../../src/domain/make-record';
import type { RecordData, RecordKind, RecordOfKind } from '../../src/domain/records';
import { syncOnce } from '../../src/sync/engine';
import { deviceConfig } from '../fixtures/device-config';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { receiverBehind, syncDevice } from './device';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

let serial = 0;
const newId = () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;

function make<K extends RecordKind>(deviceId: string, now: number, kind: K, data: RecordData<K>) {
  const made = makeRecord({ config: { ...deviceConfig, deviceId }, now, newId }, kind, data);
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value as RecordOfKind<K>;
}

const household = (deviceId: string, now: number) =>
  make(deviceId, now, 'isolation-start', {
    address: '5栋1单元101',
    members: [{ name: '张三丰' }, { name: '张翠山' }],
    phone: '13912345678',
    startDay: '2026-12-01',
    days: 14,
    reason: '密切接触者',
    responsible: { checkpointId: 'lj-03' },
  });

const checkIn = (deviceId: string, now: number, start: RecordOfKind<'isolation-start'>) =>
  make(
    deviceId,
    now,
    'isolation-check-in',
    checkInData(
      start.id,
      everyoneSame({
        how: 'phone',
        reporter: '张三丰',
        readings: [
          { celsius: '36.5', symptoms: [] },
          { celsius: '', symptoms: [] },
        ],
      }),
      37.3,
    ),
  );

describe('home isolations shared by a checkpoint’s devices', () => {
  it('reach every device of the checkpoint at its next sync, check-ins and corrections included', async () => {
    const { receiver, endpoint } = await receiverBehind(stops, () => 'pass');
    await receiver.store.registerCheckpoints(TWO_COMMUNITIES);
    const tokenOf = (deviceId: string) =>
      receiver.store.createToken(deviceId, 'device', Date.now(), {
        deviceId,
        checkpointId: 'lj-03',
      });
    const first = await syncDevice(endpoint, { token: await tokenOf('dev-0001') });
    const second = await syncDevice(endpoint);
    const secondToken = await tokenOf('dev-0002');
    await saveConfig(second.db, {
      ...deviceConfig,
      deviceId: 'dev-0002',
      sync: { ...DEFAULT_SYNC, endpoint, timeoutMs: 2000, token: secondToken },
    });
    const now = new Date('2026-12-01T10:00:00').getTime();
    const start = household('dev-0001', now);
    const morning = checkIn('dev-0001', now + 60_000, start);
    await first.add([start, morning]);
    expect(await syncOnce(first.env)).toBe('done');

    // The second device had none: it pulls the household and its check-in.
    expect(await readIsolations(second.db, 'lj-03')).toEqual([]);
    expect(await syncOnce(second.env)).toBe('done');
    const pulled = await readIsolations(second.db, 'lj-03');
    expect(pulled).toEqual([{ start, checkIns: [morning], extensions: [] }]);

    // Its own check-in, and a correction of the first one, go back to the first device.
    const evening = checkIn('dev-0002', now + 8 * 3600_000, start);
    const wrong = make('dev-0002', now + 8 * 3600_000 + 1000, 'void', {
      targetId: morning.id,
      reason: '打卡打错了户',
    });
    await second.add([evening, wrong]);
    expect(await syncOnce(second.env)).toBe('done');
    expect(await syncOnce(first.env)).toBe('done');
    expect(await readIsolations(first.db, 'lj-03')).toEqual([
      { start, checkIns: [evening], extensions: [] },
    ]);
    // Pulling again changes nothing (the cursor moved; filing is idempotent anyway).
    expect(await syncOnce(first.env, { force: true })).toBe('done');
    expect(await first.db.isolations.count()).toBe(4);
  });

  it('keeps an open isolation’s ledger past the records’ retention, and lets an ended one go with its end', async () => {
    const device = await syncDevice('http://127.0.0.1:9/api/v1');
    const day1 = new Date('2026-12-01T10:00:00').getTime();
    const open = household('dev-0001', day1);
    const ended = household('dev-0001', day1 + 1000);
    await device.add([
      open,
      ended,
      checkIn('dev-0001', day1 + 3600_000, open),
      checkIn('dev-0001', day1 + 3600_000, ended),
      make('dev-0001', day1 + DAY_MS, 'isolation-end', {
        isolationId: ended.id,
        outcome: 'moved',
        reason: '搬到外地',
      }),
    ]);
    // Uploaded (as a sync would mark them), then 30 days on with a 28-day retention.
    await device.db.outbox.clear();
    await purgeOld(device.db, 28, day1 + 30 * DAY_MS);
    expect(await device.db.records.count()).toBe(0);
    const kept = await readIsolations(device.db, 'lj-03');
    expect(kept.map((isolation) => [isolation.start.id, isolation.checkIns.length])).toEqual([
      [open.id, 1],
    ]);
  });
});
