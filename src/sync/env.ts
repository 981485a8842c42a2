import type { KadianDB } from '../db/database';
import { uuidV7Generator } from '../domain/ids';
import type { SyncEnv } from './engine';
import { withSyncLock } from './lock';

const nextBatchId = uuidV7Generator((bytes) => crypto.getRandomValues(bytes));

/** The sync engine's surroundings in a browser: the page and the service worker build the same one. */
export function browserSyncEnv(db: KadianDB): SyncEnv {
  return {
    db,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    random: () => Math.random(),
    newBatchId: () => nextBatchId(Date.now()),
    exclusive: (fn) => withSyncLock(db, fn),
  };
}
