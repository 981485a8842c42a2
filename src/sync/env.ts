import type { KadianDB } from '../db/database';
import type { Verify } from '../domain/ed25519-core';
import { uuidV7Generator } from '../domain/ids';
import type { AdapterFor } from './adapters';
import type { SyncEnv } from './engine';
import { withSyncLock } from './lock';

const nextBatchId = uuidV7Generator((bytes) => crypto.getRandomValues(bytes));

/**
 * The sync engine's surroundings in a browser: the page and the service worker build the same one,
 * each with its own way of loading Ed25519 (see domain/ed25519-core.ts) and the adapters.
 */
export function browserSyncEnv(
  db: KadianDB,
  verify: Verify,
  adapters: AdapterFor,
  takeConfigs: SyncEnv['takeConfigs'],
  appVersion?: string,
): SyncEnv {
  return {
    adapters,
    ...(appVersion && { appVersion }),
    takeConfigs,
    verify,
    db,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    random: () => Math.random(),
    newBatchId: () => nextBatchId(Date.now()),
    exclusive: (fn) => withSyncLock(db, fn),
    exclusiveAlerts: (fn) => withSyncLock(db, fn, undefined, 'kadian-alerts'),
  };
}
