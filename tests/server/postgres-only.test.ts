// What only PostgreSQL has to do: make the tables once when several receivers start together, and
// tell every receiver on the database of a change, once committed.
import { afterEach, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../../server/store';
import { makeRecord } from '../../src/domain/make-record';
import { deviceConfig } from '../fixtures/device-config';
import { createDatabase, dropDatabase } from '../postgres-cluster';
import { openTestStore } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

let serial = 0;
function fever(store: Store) {
  const made = makeRecord(
    {
      config: deviceConfig,
      now: Date.now(),
      newId: () => `0193c0d4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`,
    },
    'temperature',
    {
      subject: { type: 'visitor', name: '张三丰' },
      celsius: 38.2,
      method: 'forehead',
      fever: true,
    },
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return store.importRecords([{ record: made.value }], 'test', Date.now());
}

it('an alert committed through one receiver’s store is announced to another’s on the same database', async () => {
  const { store, settings, remove } = await openTestStore();
  cleanups.push(remove);
  const other = await openStore(settings);
  cleanups.push(() => other.close());
  let heard = 0;
  const unlisten = other.alerts.onChange(() => heard++);
  cleanups.push(async () => void unlisten());
  // Its listening connection opens in the background: fevers until it hears one.
  await expect
    .poll(async () => {
      await fever(store);
      return heard;
    })
    .toBeGreaterThan(0);
  heard = 0;
  await fever(store);
  await expect.poll(() => heard).toBe(1);
  expect(await other.alerts.lastEvent()).toBe(await store.alerts.lastEvent());
});

it('makes the tables once when several receivers start together on an empty database', async () => {
  const admin = inject('postgresUrl');
  for (let round = 0; round < 3; round++) {
    const url = await createDatabase(admin);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openStore({ KADIAN_DATABASE_URL: url })),
    );
    expect(await Promise.all(stores.map((store) => store.recordCount()))).toEqual([0, 0, 0, 0]);
    for (const store of stores) await store.close();
    await dropDatabase(admin, url);
  }
});
