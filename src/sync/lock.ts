// One sync run at a time across the service worker and every tab. navigator.locks where the
// browser has it; elsewhere a lease row in IndexedDB that a crashed holder cannot keep forever.
import type { KadianDB } from '../db/database';
import { releaseLease, takeLease } from '../db/lease';

/** The main queue's lock, and the alert lane's own (a long batch never holds a fever back). */
export type LockName = 'kadian-sync' | 'kadian-alerts';
// Longer than any run; a holder that died releases it by expiry.
const LEASE_MS = 300_000;

/** Runs fn unless another run holds the lock; undefined when it was held. */
export async function withSyncLock<T>(
  db: KadianDB,
  fn: () => Promise<T>,
  locks = globalThis.navigator?.locks,
  name: LockName = 'kadian-sync',
): Promise<T | undefined> {
  if (locks) {
    return locks.request(name, { ifAvailable: true }, async (lock) => (lock ? fn() : undefined));
  }
  const holder = crypto.randomUUID();
  if (!(await takeLease(db, name, holder, Date.now(), LEASE_MS))) return undefined;
  try {
    return await fn();
  } finally {
    await releaseLease(db, name, holder);
  }
}
