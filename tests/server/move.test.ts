// A county's SQLite file moved into another receiver's database (this run's engine): everything
// it held reads the same there, and moving it again changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { moveStore } from '../../server/move-store';
import { openStore, type Store } from '../../server/store';
import { validate } from '../../server/validate';
import { generated } from '../fixtures/fever-records';
import { TWO_COMMUNITIES } from '../fixtures/registry';
import { exit, isolationStart, make, report } from '../fixtures/stored-records';
import { openTestStore } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const ALL = Number.MAX_SAFE_INTEGER;

/** What a receiver's database answers, read through the store. */
async function contents(store: Store) {
  await store.figures.windowFor(2);
  const byId = <T extends { id: string }>(list: T[]) =>
    list.sort((a, b) => a.id.localeCompare(b.id));
  return {
    records: await store.recordIds(),
    alerts: byId(await store.alerts.alertsBetween(0, ALL, 'all')),
    lane: await store.feverLane(0, ALL),
    reports: byId(await store.figures.reportsOn('2026-11-20')),
    exits: (await store.figures.exitsOverQuota(0, [0, ALL], 0)).sort((a, b) =>
      a.recordId.localeCompare(b.recordId),
    ),
    isolations: await store.isolations.followedBetween('2026-11-19', '2026-11-19'),
    isolationRecords: (await store.isolations.since(undefined, 0, 1000)).records,
    revocations: (await store.revocationsSince(0, 1000)).revocations,
    checkpoints: (await store.knownCheckpoints()).sort((a, b) => a.id.localeCompare(b.id)),
    tokens: await store.listTokens(),
    devices: await store.fleet.devices(),
    roster: await store.fleet.roster('东岳社区', 0),
    audit: (await store.audit.entries()).sort((a, b) => a.at - b.at),
  };
}

it('moves a county’s file into another database, where it reads the same, once however often it is run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-move-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const source = await openStore({ KADIAN_DB: join(dir, 'county.sqlite') });
  cleanups.push(() => source.close());

  await source.registerCheckpoints(TWO_COMMUNITIES);
  const viewer = await source.createToken('东岳查看', 'viewer', 1, { scope: '东岳社区' });
  const code = await source.createEnrolment('lj-03', '东岳社区办公室', ALL - 1, 2);
  const exits = [exit('20T08:00:00'), exit('20T09:00:00'), exit('20T10:00:00')];
  const reports = [report('20T20:00:00', 12), report('20T21:00:00', 0)];
  const start = isolationStart();
  const fevers = generated(5);
  await source.commitBatch('first', '{}', 'dev-0001', fevers.map(validate), 1_000);
  await source.commitBatch(
    'second',
    '{}',
    'dev-0001',
    [
      ...exits,
      make('void', '20T11:00:00', { targetId: exits[1]?.id ?? '', reason: '扫错了' }),
      ...reports,
      make('void', '20T22:00:00', { targetId: reports[1]?.id ?? '', reason: '报错了' }),
      start,
      make('isolation-check-in', '19T09:00:00', {
        isolationId: start.id,
        symptomatic: true,
        how: 'phone',
        reporter: '张三丰',
        readings: [{ member: 0, celsius: 38.4, symptoms: ['fever'] }],
      }),
      make('pass-revocation', '20T12:00:00', { passId: 'p-9', reason: '证件遗失' }),
    ].map(validate),
    2_000,
  );
  // An alert taken and closed at the receiver; a device that reported; the roster.
  const [taken] = await source.alerts.alertsBetween(0, ALL, 'all');
  const act = (verb: 'take' | 'close', at: number) =>
    source.actOnAlert(
      verb === 'take'
        ? { take: { name: '王值班', phone: '13900139000' } }
        : { close: { name: '王值班', outcome: 'referred' } },
      taken?.id ?? '',
      (checkpointId) =>
        validate({
          ...make(verb === 'take' ? 'fever-alert-taken' : 'fever-alert-closed', '20T13:00:00', {
            alertId: taken?.id ?? '',
            ...(verb === 'close' && { outcome: 'referred' }),
          } as never),
          checkpointId,
          deviceId: 'receiver',
          volunteer: { name: '王值班', ...(verb === 'take' && { phone: '13900139000' }) },
          recordedAt: at,
        }),
      at,
      '东岳值班',
    );
  expect(await act('take', 3_000)).toHaveProperty('record');
  expect(await act('close', 4_000)).toHaveProperty('record');
  await source.fleet.report(
    { deviceId: 'dev-0001', checkpointId: 'lj-03', appVersion: '0.3.0', pending: 0 },
    5_000,
  );
  await source.fleet.addToRoster(
    { place: '东岳社区', name: '王值班', phone: '13900139000', from: 0, to: ALL },
    '东岳社区办公室',
  );
  const before = await contents(source);
  expect(before.alerts.length).toBeGreaterThan(5);
  expect(before.alerts.find((alert) => alert.id === taken?.id)?.closed?.outcome).toBe('referred');
  expect(before.alerts.some((alert) => alert.subject.type === 'isolation')).toBe(true);

  const { store: target } = await openTestStore();
  cleanups.push(() => target.close());
  const moved = await moveStore(source, target);
  expect(moved.records).toBe(before.records.length);
  expect(moved.duplicates).toBe(0);
  expect(await contents(target)).toEqual(before);
  expect((await target.principal(viewer))?.scope).toBe('东岳社区');
  // What the devices read by cursor is numbered past anything the county's own numbers reached.
  expect(await target.alerts.lastEvent()).toBeGreaterThan(await source.alerts.lastEvent());

  const again = await moveStore(source, target);
  expect(again).toEqual({
    records: 0,
    duplicates: before.records.length,
    copied: Object.fromEntries(Object.keys(moved.copied).map((table) => [table, 0])),
  });
  expect(await contents(target)).toEqual(before);
  expect(await target.claimEnrolment(code, 'dev-new', 10)).toMatchObject({ checkpointId: 'lj-03' });
});
