// Runs the sync engine from the page: at start, when the network comes back, when the tab is shown
// again, shortly after each write, on a timer while open, and on the volunteer's "sync now". The
// engine's lock keeps these (and the service worker) to one run at a time.
import type { KadianDB } from '../db/database';
import { requestBackgroundSync } from '../pwa/background-sync';
import { type RunOptions, type RunResult, syncOnce } from '../sync/engine';
import { browserSyncEnv } from '../sync/env';

const AFTER_WRITE_MS = 1500;
const WHILE_OPEN_MS = 30_000;

let database: KadianDB | undefined;
let soon: ReturnType<typeof setTimeout> | undefined;

function run(options: RunOptions = {}): Promise<RunResult | undefined> {
  return database ? syncOnce(browserSyncEnv(database), options) : Promise.resolve(undefined);
}

/** Starts the page's triggers; returns a function that stops them. */
export function startSyncRunner(db: KadianDB): () => void {
  database = db;
  const onOnline = () => void run({ skipBackoff: true });
  const onVisible = () => document.visibilityState === 'visible' && void run();
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisible);
  const timer = setInterval(() => void run(), WHILE_OPEN_MS);
  void run();
  return () => {
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onVisible);
    clearInterval(timer);
    clearTimeout(soon);
    database = undefined;
  };
}

/** After a write: a run shortly (writes come in bursts), and a Background Sync for when the tab is gone. */
export function syncSoon(): void {
  clearTimeout(soon);
  soon = setTimeout(() => void run(), AFTER_WRITE_MS);
  void requestBackgroundSync();
}

/** The volunteer's "sync now", or a changed token or endpoint. */
export function syncNow(): Promise<RunResult | undefined> {
  return run({ force: true });
}
