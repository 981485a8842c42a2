// Runs the sync engine from the page: at start, when the network comes back, when the tab is shown
// again, shortly after each write, on a timer while open, and on the volunteer's "sync now"; when
// the tab is hidden it asks the service worker, which outlives the page. The engine's lock keeps
// all of these to one run at a time.
import type { KadianDB } from '../../db/database';
import { alertsToWatch } from '../../db/express';
import { readSyncStatus } from '../../db/outbox';
import { readMeta } from '../../db/settings';
import { inAlertLane } from '../../domain/alerts';
import { verifyEd25519 } from '../../domain/ed25519';
import type { KadianRecord } from '../../domain/records';
import { requestBackgroundSync } from '../../pwa/background-sync';
import { messageWorker } from '../../pwa/register';
import { openWait, type RunOptions, type RunResult, syncOnce, waitUntil } from '../../sync/engine';
import { browserSyncEnv } from '../../sync/env';
import { sendAlerts } from '../../sync/express';

const AFTER_WRITE_MS = 1500;
const WHILE_OPEN_MS = 30_000;
/** How often the alert lane tries again, and asks after open alerts, while the app is open. */
const ALERTS_EVERY_MS = 5000;

let database: KadianDB | undefined;
let soon: ReturnType<typeof setTimeout> | undefined;

let retry: ReturnType<typeof setTimeout> | undefined;

/** The engine's surroundings in the page: a pulled configuration's code is loaded when one comes. */
const pageEnv = (db: KadianDB) =>
  browserSyncEnv(
    db,
    verifyEd25519,
    async (codes) => {
      const { takePushedConfig } = await import('../../sync/pushed-config');
      return takePushedConfig(db, codes, verifyEd25519, Date.now());
    },
    import.meta.env.VITE_APP_VERSION,
  );

async function run(options: RunOptions = {}): Promise<RunResult | undefined> {
  const db = database;
  if (!db) return undefined;
  const env = pageEnv(db);
  const result = await syncOnce(env, { ...options, whileOpen: true });
  // Backing off (or told to wait by Retry-After): come back exactly when the wait is over, and
  // while the app is open no later than the open wait.
  const [status, config] = await Promise.all([readSyncStatus(db), readMeta(db, 'config')]);
  const until = waitUntil(status, config?.sync && openWait(config.sync));
  clearTimeout(retry);
  if ((result === 'stopped' || result === 'waiting') && until !== undefined) {
    retry = setTimeout(() => void run(), Math.max(0, until - Date.now()));
  }
  return result;
}

/** The alert lane: at once after a fever is saved, and every few seconds while one is open. */
async function runAlerts(): Promise<void> {
  const db = database;
  if (!db) return;
  await sendAlerts(pageEnv(db));
}

/** Starts the page's triggers; returns a function that stops them. */
export function startSyncRunner(db: KadianDB): () => void {
  database = db;
  const onOnline = () => {
    void runAlerts();
    void run({ skipBackoff: true });
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void run();
    // Hidden: the page may be frozen or closed any moment; the worker outlives it and uploads.
    else void messageWorker({ type: 'SYNC' });
  };
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisibility);
  const timer = setInterval(() => void run(), WHILE_OPEN_MS);
  const alerts = setInterval(() => {
    void alertsToWatch(db, Date.now()).then(async (watching) => {
      if (watching) await runAlerts();
    });
  }, ALERTS_EVERY_MS);
  void runAlerts();
  void run();
  return () => {
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onVisibility);
    clearInterval(timer);
    clearInterval(alerts);
    clearTimeout(soon);
    clearTimeout(retry);
    database = undefined;
  };
}

/**
 * After a write: a run shortly (writes come in bursts), and a Background Sync tag for when the tab
 * is gone. Registering is asked after every write, off the verdict's path: a tag fired since the
 * last write must be registered again, and registering a pending tag costs nothing. A record of
 * the alert lane (a fever's) also leaves at once; other writes do not touch that lane.
 */
export function syncSoon(record: KadianRecord): void {
  if (inAlertLane(record)) void runAlerts();
  clearTimeout(soon);
  soon = setTimeout(() => void run(), AFTER_WRITE_MS);
  void requestBackgroundSync();
}

/** The volunteer's "sync now", or a changed token or endpoint. */
export function syncNow(): Promise<RunResult | undefined> {
  return run({ force: true });
}
