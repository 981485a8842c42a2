import { KadianDB } from '../../src/db/database';
import { pendingCount, syncStates } from '../../src/db/outbox';
import { saveRecords } from '../../src/db/records';
import { saveConfig } from '../../src/db/settings';
import { DEFAULT_SYNC, type SyncSettings } from '../../src/domain/config';
import { verifyEd25519 } from '../../src/domain/ed25519';
import { uuidV7Generator } from '../../src/domain/ids';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { builtInAdapters } from '../../src/sync/adapters';
import type { SyncEnv } from '../../src/sync/engine';
import { withSyncLock } from '../../src/sync/lock';
import { takePushedConfig } from '../../src/sync/pushed-config';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from '../server/harness';
import { type Fault, startFaultProxy } from './fault-proxy';

const nextId = uuidV7Generator((bytes) => crypto.getRandomValues(bytes));

/** Valid records as the gate makes them; every fifth a fever when asked. */
export function gateRecords(count: number, { fevers = false } = {}): KadianRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const now = Date.now();
    const fever = fevers && i % 5 === 4;
    const made = makeRecord(
      { config: deviceConfig, now, newId: () => nextId(now) },
      'temperature',
      {
        subject: { type: 'person' },
        celsius: fever ? 38.5 : 36.5,
        method: 'forehead',
        fever,
      },
    );
    if (!made.ok) throw new Error('invalid');
    return made.value;
  });
}

/** A provisioned device on fake-indexeddb whose sync goes to `endpoint`, with a clock the test moves. */
export async function syncDevice(endpoint: string, settings: Partial<SyncSettings> = {}) {
  const db = new KadianDB(`sync-${crypto.randomUUID()}`);
  await saveConfig(db, {
    ...deviceConfig,
    sync: { ...DEFAULT_SYNC, endpoint, timeoutMs: 2000, ...settings },
  });
  const clock = { now: Date.now() };
  const env: SyncEnv = {
    db,
    adapters: builtInAdapters,
    fetch: globalThis.fetch,
    now: () => clock.now,
    random: () => 0.5,
    newBatchId: () => nextId(clock.now),
    // Node has no navigator.locks: this is the lease fallback.
    exclusive: (fn) => withSyncLock(db, fn, undefined),
    takeConfigs: (codes) => takePushedConfig(db, codes, verifyEd25519, clock.now),
    exclusiveAlerts: (fn) => withSyncLock(db, fn, undefined, 'kadian-alerts'),
    verify: verifyEd25519,
  };
  return {
    db,
    env,
    clock,
    add: (records: KadianRecord[]) => saveRecords(db, records),
    pending: () => pendingCount(db),
    states: async () => {
      const ids = (await db.records.toArray()).map((row) => row.id);
      return [...(await syncStates(db, ids)).values()].map((state) => state.state);
    },
  };
}

/** The reference receiver behind a fault proxy; their stops go on the test's list. */
export async function receiverBehind(
  stops: (() => Promise<unknown>)[],
  plan: (seen: { path: string; key?: string; body: string }, index: number) => Fault,
) {
  const receiver = await startReceiver();
  const proxy = await startFaultProxy(receiver.origin, plan);
  stops.push(receiver.stop, proxy.stop);
  return { receiver, proxy, endpoint: `${proxy.origin}/api/v1` };
}
