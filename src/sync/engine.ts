// The sync engine: sends the outbox to the configured endpoint in frozen batches until it is empty
// or an answer says to stop. No DOM: the page and the service worker run the same code, one at a
// time (see lock.ts). Progress is written to the database (sync status, record states), where the
// screens watch it.
import type { FrozenBatch, KadianDB, SyncStatus } from '../db/database';
import { savePulledIsolations } from '../db/isolation-rows';
import {
  countAttempt,
  nextBatch,
  pendingCount,
  readSyncStatus,
  saveRevocations,
  settleBatch,
  splitBatch,
  writeSyncStatus,
} from '../db/outbox';
import { purgeOld } from '../db/retention';
import { readMeta, writeMeta } from '../db/settings';
import { DEFAULT_OPEN_WAIT_MS, type SyncSettings } from '../domain/config';
import { issuerMap, type Verify } from '../domain/ed25519-core';
import { KadianRecord } from '../domain/records';
import { verifiedRevocations } from '../domain/revocation-code';
import type { Adapter, Outcome } from './adapter';
import type { AdapterFor } from './adapters';
import { backoffDelay } from './backoff';
import { pullAlerts } from './express';

export interface SyncEnv {
  db: KadianDB;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  /** A new batch key; UUID v7 from one generator, so batches sort in the order they were made. */
  newBatchId: () => string;
  /** Runs the function unless another run is under way (then resolves undefined). */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  /** The same for the alert lane, under a lock of its own (see express.ts). */
  exclusiveAlerts?: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  /** Ed25519, for the office's signature on pulled revocations. */
  verify: Verify;
  /** The adapter for the settings' kind of endpoint. */
  adapters: AdapterFor;
  /** The app's version, reported to the endpoint after a run; none (the worker): no report. */
  appVersion?: string;
  /**
   * Applies pulled configurations (see pushed-config.ts). The page loads that code only when one
   * comes; the worker, which may not load code at run time, has it built in.
   */
  takeConfigs: (codes: string[]) => Promise<unknown>;
}

export type RunResult =
  | 'done'
  | 'not-configured'
  | 'waiting'
  | 'paused'
  | 'stopped'
  | 'already-running';

/**
 * Runs fn as a User Timing measure (kadian:sync-run, kadian:next-batch), so a benchmark can watch
 * a run from outside. Each run clears the previous run's entries: a page open all day keeps few.
 */
async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}

/** Halves of a batch, each a new frozen batch with its own key. */
function halves(env: SyncEnv, batch: FrozenBatch, shrunk: FrozenBatch['shrunk']): FrozenBatch[] {
  const middle = Math.ceil(batch.records.length / 2);
  return [batch.records.slice(0, middle), batch.records.slice(middle)].map((records) => ({
    batchId: env.newBatchId(),
    lane: batch.lane,
    frozenAt: env.now(),
    records,
    attempts: 0,
    ...(shrunk && { shrunk }),
  }));
}

/** Acts on an outcome; true when the run may go on to the next batch. */
async function apply(
  env: SyncEnv,
  settings: SyncSettings,
  sent: FrozenBatch,
  outcome: Outcome,
  status: SyncStatus,
): Promise<boolean> {
  const now = env.now();
  // Records answered one by one before the attempt stopped are done, whatever happens to the rest.
  const batch = outcome.settled?.length
    ? await settleBatch(env.db, sent, outcome.settled, now)
    : sent;
  if (!batch) return outcome.kind === 'answered';
  if (outcome.serverDate !== undefined) status.clockSkewMs = now - outcome.serverDate;
  // Records got through before the attempt stopped: the link works, if badly. The wait starts
  // again from its base instead of growing to the cap while every attempt delivers a few.
  if (outcome.settled?.length) status.failures = 0;
  switch (outcome.kind) {
    case 'answered':
      await settleBatch(env.db, batch, outcome.answers, now);
      // The first size accepted after a 413 is remembered for the batches frozen from now on.
      if (status.shrinking)
        Object.assign(status, { shrinking: false, batchSizeLimit: batch.records.length });
      Object.assign(status, {
        lastSuccessAt: now,
        failures: 0,
        nextAttemptAt: undefined,
        lastProblem: undefined,
      });
      return true;
    case 'split':
    case 'too-large': {
      if (batch.records.length === 1) {
        const [record] = batch.records;
        const error = outcome.kind === 'too-large' ? 'HTTP 413: too large' : outcome.error;
        await settleBatch(
          env.db,
          batch,
          [{ id: record?.id ?? '', status: 'rejected', error }],
          now,
        );
        // One record too large alone caused the 413s that split its batch, not the batch size:
        // what they taught is dropped, and the size learnt before them stands again.
        if (outcome.kind === 'too-large')
          Object.assign(status, {
            shrinking: false,
            batchSizeLimit: batch.shrunk ? batch.shrunk.limitBefore : status.batchSizeLimit,
          });
      } else {
        if (outcome.kind === 'too-large') status.shrinking = true;
        const shrunk =
          outcome.kind === 'too-large'
            ? (batch.shrunk ?? { limitBefore: status.batchSizeLimit })
            : batch.shrunk;
        await splitBatch(env.db, batch, halves(env, batch, shrunk));
      }
      return true;
    }
    case 'later':
    case 'backoff':
      await countAttempt(env.db, batch);
      noteFailure(env, settings, status, outcome);
      return false;
    case 'pause':
      noteFailure(env, settings, status, outcome);
      return false;
  }
}

type Failure = Extract<Outcome, { kind: 'later' | 'pause' | 'backoff' }>;

/** How long after it took a batch, or the way to it opened again, an endpoint counts as working. */
export const WORKING_MS = 60_000;
/** Failures in a row after which the wait for a working endpoint starts to grow. */
export const WORKING_GRACE = 6;

/** Why an attempt stopped, and what happens next: a pause, or a wait (Retry-After or backoff). */
function noteFailure(env: SyncEnv, settings: SyncSettings, status: SyncStatus, outcome: Failure) {
  const now = env.now();
  status.lastProblem = { problem: outcome.problem, status: outcome.status, at: now };
  if (outcome.kind === 'pause') {
    status.paused = outcome.problem;
    return;
  }
  status.failures += 1;
  const retryAfter = outcome.kind === 'later' ? outcome.retryAfterMs : undefined;
  // An endpoint that took a batch, or came back, in the last minute works, if badly (a lossy
  // link, some 500s): it is tried again after the base wait, not backed off as if it were down,
  // until failures in a row say otherwise.
  const since = Math.max(status.lastSuccessAt ?? 0, status.backAt ?? 0);
  const working = now - since < WORKING_MS;
  const failures = working ? Math.max(1, status.failures - WORKING_GRACE) : status.failures;
  status.nextAttemptAt =
    now +
    (retryAfter ??
      backoffDelay(failures, settings.backoffBaseMs, settings.backoffCapMs, env.random()));
}

/** Fetches revocations issued since the last pull, where the adapter's endpoint offers them. */
async function pullRevocations(
  env: SyncEnv,
  adapter: Adapter,
  settings: SyncSettings,
  issuerKeys: readonly string[] | undefined,
  status: SyncStatus,
) {
  if (!adapter.pullRevocations) return;
  const issuers = await issuerMap(issuerKeys);
  for (let page = 0; page < 100; page++) {
    const cursor = status.revocationsCursor ?? 0;
    const pulled = await adapter.pullRevocations(settings, cursor, {
      fetch: env.fetch,
      now: env.now,
    });
    if (!pulled) return;
    // Only what the office signed counts (an unsigned or forged entry is passed over, not kept).
    // Saving is idempotent: if the run stops before the cursor is written, the next pull repeats harmlessly.
    await saveRevocations(
      env.db,
      await verifiedRevocations(pulled.revocations, issuers, env.verify),
    );
    status.revocationsCursor = pulled.next;
    if (pulled.revocations.length === 0 || pulled.next === cursor) return;
  }
}

/**
 * Pulls the records of the checkpoint's home isolations stored since the last pull, page by page.
 * Each is checked against the record schema (one that fails is passed over); filing is idempotent,
 * so a run stopped before the cursor is written repeats harmlessly.
 */
async function pullIsolations(env: SyncEnv, adapter: Adapter, settings: SyncSettings) {
  if (!adapter.pullIsolations) return;
  for (let page = 0; page < 100; page++) {
    const cursor = (await readMeta(env.db, 'isolationsCursor')) ?? 0;
    const pulled = await adapter.pullIsolations(settings, cursor, {
      fetch: env.fetch,
      now: env.now,
    });
    if (!pulled) return;
    await savePulledIsolations(
      env.db,
      pulled.records.flatMap((record) => {
        const parsed = KadianRecord.safeParse(record);
        return parsed.success ? [parsed.data] : [];
      }),
    );
    await writeMeta(env.db, 'isolationsCursor', pulled.next);
    if (pulled.records.length === 0 || pulled.next === cursor) return;
  }
}

/** The office's newest configuration signed by a key this device trusts, applied if newer. */
async function pullConfig(
  env: SyncEnv,
  adapter: Adapter,
  settings: SyncSettings,
  issuerKeys: readonly string[] | undefined,
) {
  if (!adapter.pullConfigs || !issuerKeys?.length) return;
  const kids = [...(await issuerMap(issuerKeys)).keys()];
  const codes = await adapter.pullConfigs(settings, kids, { fetch: env.fetch, now: env.now });
  if (codes?.length) await env.takeConfigs(codes);
}

/** How this device is, for the office's list of its gates. */
async function reportStatus(
  env: SyncEnv,
  adapter: Adapter,
  settings: SyncSettings,
  status: SyncStatus,
) {
  const config = await readMeta(env.db, 'config');
  if (!adapter.reportStatus || !env.appVersion || !config) return;
  await adapter.reportStatus(
    settings,
    {
      deviceId: config.deviceId,
      checkpointId: config.checkpoint.id,
      appVersion: env.appVersion,
      pending: await pendingCount(env.db),
      ...(status.clockSkewMs !== undefined && { clockSkewMs: Math.round(status.clockSkewMs) }),
      ...(config.pushed && { configAt: config.pushed.at }),
    },
    { fetch: env.fetch, now: env.now },
  );
}

export interface RunOptions {
  /** The volunteer's "sync now" or a changed setting: lifts a pause and ignores the backoff. */
  force?: boolean;
  /** The network just came back: ignore the backoff (a pause still needs a person). */
  skipBackoff?: boolean;
  /**
   * Run from an open app: the wait between attempts is at most the settings' `openWaitMs`, so an
   * endpoint that comes back is used within it (one attempt per wait while it stays down); the
   * long backoff cap holds in the background.
   */
  whileOpen?: boolean;
}

/** One sync run; by default it respects the backoff and a pause. */
export function syncOnce(env: SyncEnv, options: RunOptions = {}): Promise<RunResult> {
  return env
    .exclusive(async (): Promise<RunResult> => {
      performance.clearMeasures('kadian:sync-run');
      performance.clearMeasures('kadian:next-batch');
      return timed('kadian:sync-run', () => run(env, options));
    })
    .then((result) => result ?? 'already-running');
}

export const openWait = (settings: SyncSettings) => settings.openWaitMs ?? DEFAULT_OPEN_WAIT_MS;

/** When the next attempt may start: the backoff's time, brought forward to `maxWaitMs` after the last. */
export function waitUntil(status: SyncStatus, maxWaitMs: number | undefined): number | undefined {
  const { nextAttemptAt, lastAttemptAt } = status;
  if (nextAttemptAt === undefined || maxWaitMs === undefined || lastAttemptAt === undefined)
    return nextAttemptAt;
  return Math.min(nextAttemptAt, lastAttemptAt + maxWaitMs);
}

/**
 * The token to send with: the settings' own, or the one this device got for its enrolment code,
 * trading the code first if that has not happened yet. '' when there is none to use (no token, no
 * code); undefined when the trade failed (the status says why).
 */
async function ownToken(
  env: SyncEnv,
  adapter: Adapter,
  settings: SyncSettings,
  deviceId: string,
  status: SyncStatus,
): Promise<string | undefined> {
  const code = settings.enrolment;
  if (settings.token || !code || !adapter.enrol) return settings.token ?? '';
  const enrolled = await readMeta(env.db, 'enrolled');
  if (enrolled?.code === code) return enrolled.token;
  const outcome = await adapter.enrol(settings, code, deviceId, { fetch: env.fetch, now: env.now });
  if ('token' in outcome) {
    await writeMeta(env.db, 'enrolled', { code, token: outcome.token });
    return outcome.token;
  }
  const failure: Failure =
    outcome.kind === 'pause' || outcome.kind === 'backoff' || outcome.kind === 'later'
      ? outcome
      : {
          kind: 'backoff',
          problem: 'invalid-answer',
          ...('status' in outcome && { status: outcome.status }),
        };
  noteFailure(env, settings, status, failure);
  return undefined;
}

/** Sends batches until the queue is empty or an outcome says to stop. */
async function run(
  env: SyncEnv,
  { force = false, skipBackoff = force, whileOpen = false }: RunOptions,
): Promise<RunResult> {
  const config = await readMeta(env.db, 'config');
  const settings = config?.sync;
  if (!settings) return 'not-configured';
  const adapter = await env.adapters(settings.adapter);
  const status = await readSyncStatus(env.db);
  if (force) status.paused = undefined;
  else if (status.paused) return 'paused';
  else {
    const until = waitUntil(status, whileOpen ? openWait(settings) : undefined);
    if (!skipBackoff && until !== undefined && env.now() < until) return 'waiting';
  }
  // The way is back (or a person asks): failures before it say nothing of the endpoint now, and the
  // wait after the next one starts again from the base.
  if (skipBackoff) Object.assign(status, { failures: 0, backAt: env.now() });

  status.lastAttemptAt = env.now();
  try {
    const token = await ownToken(env, adapter, settings, config?.deviceId ?? '', status);
    if (token === undefined) return status.paused ? 'paused' : 'stopped';
    const sending = { ...settings, ...(token && { token }) };
    for (;;) {
      const size = Math.min(settings.batchSize, status.batchSizeLimit ?? Number.POSITIVE_INFINITY);
      const batch = await timed('kadian:next-batch', () =>
        nextBatch(env.db, size, env.newBatchId, env.now()),
      );
      if (!batch) {
        Object.assign(status, { failures: 0, nextAttemptAt: undefined });
        await pullRevocations(env, adapter, sending, config?.issuerKeys, status);
        await pullAlerts(env, adapter, sending);
        await pullIsolations(env, adapter, sending);
        await pullConfig(env, adapter, sending, config?.issuerKeys);
        await reportStatus(env, adapter, sending, status);
        return 'done';
      }
      const outcome = await adapter.send(batch, sending, { fetch: env.fetch, now: env.now });
      if (!(await apply(env, settings, batch, outcome, status))) {
        // Stopped by the office: what the receiver has is removed here, what it has not stays.
        if (status.paused === 'revoked') await purgeOld(env.db, 0, env.now());
        return status.paused ? 'paused' : 'stopped';
      }
    }
  } finally {
    await writeSyncStatus(env.db, status);
  }
}
