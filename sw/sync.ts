import { verifyAsync } from '@noble/ed25519';
import { getDb } from '../src/db/database';
import { ed25519Verifier } from '../src/domain/ed25519-core';
import { builtInAdapters } from '../src/sync/adapters';
import { type RunResult, syncOnce } from '../src/sync/engine';
import { browserSyncEnv } from '../src/sync/env';
import { sendAlerts } from '../src/sync/express';
import { SYNC_TAG } from '../src/sync/messages';
import { takePushedConfig } from '../src/sync/pushed-config';

/** Background Sync's event (Chromium only, so not in TypeScript's WebWorker library). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
declare global {
  interface ServiceWorkerGlobalScopeEventMap {
    sync: SyncEvent;
  }
}

// A service worker may not load code at run time: @noble/ed25519 (the fallback where WebCrypto
// lacks Ed25519) is bundled with it.
const verify = ed25519Verifier(async () => ({ verifyAsync }));

/** The engine's surroundings in the worker: everything built in (it may not load code later). */
const workerEnv = () =>
  browserSyncEnv(getDb(), verify, builtInAdapters, (codes) =>
    takePushedConfig(getDb(), codes, verify, Date.now()),
  );

// A connection that has just come back often drops the first requests (DNS, routes, a portal);
// the browser's own retry of a failed sync event comes only minutes later.
const SETTLE_MS = [1000, 3000, 6000];

/** Syncs when the browser fires our Background Sync tag (connectivity is back, even with no tab open). */
export function handleSync(event: SyncEvent): void {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(syncAfterReconnect());
}

async function syncAfterReconnect(): Promise<void> {
  for (const wait of [0, ...SETTLE_MS]) {
    if (wait) await new Promise((done) => setTimeout(done, wait));
    // A fever's records first, each on its own, under the alert lane's lock.
    await sendAlerts(workerEnv());
    // The browser fires this when connectivity is back: the backoff from offline attempts is moot.
    const result = await syncOnce(workerEnv(), { skipBackoff: true });
    if (result !== 'stopped') return;
  }
  // Rejecting makes the browser schedule the tag again with its own backoff.
  throw new Error('sync stopped; the browser will retry');
}

/** A page going to the background asked for a sync: an ordinary run (backoff and pause respected). */
export async function syncFromPage(): Promise<RunResult> {
  await sendAlerts(workerEnv());
  return syncOnce(workerEnv());
}
