// Runs the sync engine from the page: at start, when the network comes back, when an endpoint that
// gave no answer answers again, when the tab is shown again, shortly after each write, on a timer
// while open, and on the volunteer's "sync now"; when the tab is hidden it asks the service worker,
// which outlives the page. The engine's lock keeps all of these to one run at a time.
import type { KadianDB } from '../../db/database';
import { alertsToWatch } from '../../db/express';
import { readSyncStatus } from '../../db/outbox';
import { readMeta } from '../../db/settings';
import { inAlertLane } from '../../domain/alerts';
import { verifyEd25519 } from '../../domain/ed25519';
import type { KadianRecord } from '../../domain/records';
import { requestBackgroundSync } from '../../pwa/background-sync';
import { messageWorker } from '../../pwa/register';
import type { AdapterFor } from '../../sync/adapters';
import { openWait, type RunOptions, type RunResult, syncOnce, waitUntil } from '../../sync/engine';
import { browserSyncEnv } from '../../sync/env';
import { sendAlerts } from '../../sync/express';
import { answers } from '../../sync/http';
import { nativeAdapter } from '../../sync/native';

const AFTER_WRITE_MS = 1500;
const WHILE_OPEN_MS = 30_000;
/** How often the alert lane tries again, and asks after open alerts, while the app is open. */
const ALERTS_EVERY_MS = 5000;
/** How often an open app looks whether an endpoint that gave no answer answers again. */
const LOOK_EVERY_MS = 2000;

let database: KadianDB | undefined;
let soon: ReturnType<typeof setTimeout> | undefined;

let retry: ReturnType<typeof setTimeout> | undefined;
let look: ReturnType<typeof setTimeout> | undefined;
/** A look found the endpoint not answering, and none has found it answering since. */
let away = false;

/**
 * The adapter for the settings' endpoint: native is in the app; couch's and plain's code is loaded
 * (or, offline, taken from the precache) when a device is set to one.
 */
const pageAdapters: AdapterFor = async (name) => {
  if (name === 'couch') return (await import('../../sync/couch')).couchAdapter;
  if (name === 'plain') return (await import('../../sync/plain')).plainAdapter;
  return nativeAdapter;
};

/** The engine's surroundings in the page: a pulled configuration's code is loaded when one comes. */
const pageEnv = (db: KadianDB) =>
  browserSyncEnv(
    db,
    verifyEd25519,
    pageAdapters,
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
  // Another run is under way: it sets the timers when it ends (clearing them here could undo what
  // it has just set, and nothing would come back before the 30 s timer).
  if (result === 'already-running') return result;
  // Backing off (or told to wait by Retry-After): come back exactly when the wait is over, and
  // while the app is open no later than the open wait.
  const [status, config] = await Promise.all([readSyncStatus(db), readMeta(db, 'config')]);
  const until = waitUntil(status, config?.sync && openWait(config.sync));
  clearTimeout(retry);
  if ((result === 'stopped' || result === 'waiting') && until !== undefined) {
    retry = setTimeout(() => void run(), Math.max(0, until - Date.now()));
  }
  // The endpoint gave no answer: look out for its return.
  clearTimeout(look);
  if (result === 'done') away = false;
  const problem = status.lastProblem?.problem;
  const unanswered = problem === 'unreachable' || problem === 'timeout';
  if ((result === 'stopped' || result === 'waiting') && unanswered && config?.sync)
    watchForReturn(config.sync.endpoint);
  return result;
}

/**
 * Looks every few seconds whether the endpoint answers; once a look has found it not answering and
 * a later one finds it answering, the run goes at once instead of at the end of a wait that grew
 * while it was away. When it answers without having been seen away, the failure was something
 * else (a connection cut mid-way, or an endpoint whose CORS refuses this page): the usual wait stands.
 */
function watchForReturn(endpoint: string) {
  look = setTimeout(async () => {
    const answered = await answers(fetch, endpoint, LOOK_EVERY_MS);
    if (!answered) {
      away = true;
      watchForReturn(endpoint);
    } else if (away) {
      away = false;
      void run({ skipBackoff: true });
    }
  }, LOOK_EVERY_MS);
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
    clearTimeout(look);
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
  setTimeout(() => void requestBackgroundSync(), 0);
}

/** The volunteer's "sync now", or a changed token or endpoint. */
export function syncNow(): Promise<RunResult | undefined> {
  return run({ force: true });
}
