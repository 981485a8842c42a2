import { getDb } from '../src/db/database';
import { type RunResult, syncOnce } from '../src/sync/engine';
import { browserSyncEnv } from '../src/sync/env';
import { SYNC_TAG } from '../src/sync/messages';

/** Background Sync's event (Chromium only, so not in TypeScript's WebWorker library). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
declare global {
  interface ServiceWorkerGlobalScopeEventMap {
    sync: SyncEvent;
  }
}

/** Syncs when the browser fires our Background Sync tag (connectivity is back, even with no tab open). */
export function handleSync(event: SyncEvent): void {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    // The browser fires this when connectivity is back: the backoff from offline attempts is moot.
    syncOnce(browserSyncEnv(getDb()), { skipBackoff: true }).then((result) => {
      // A failed run rejects, so the browser schedules the tag again with its own backoff.
      if (result === 'stopped') throw new Error('sync stopped; the browser will retry');
    }),
  );
}

/** A page going to the background asked for a sync: an ordinary run (backoff and pause respected). */
export function syncFromPage(): Promise<RunResult> {
  return syncOnce(browserSyncEnv(getDb()));
}
