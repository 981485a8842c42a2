// The alert lane: a fever's records leave at once, each in a batch of its own, under a lock of
// their own (a 200-record batch of the main queue in flight can take up to its timeout), and are
// tried again every few seconds while the app is open. They also travel in the main queue; the
// endpoint's idempotency on record ids makes the second arrival a duplicate, never a second fever.
import type { FrozenBatch } from '../db/database';
import { countExpressAttempt, expressPending, markDelivered, saveAlerts } from '../db/express';
import { readSyncStatus } from '../db/outbox';
import { readMeta, writeMeta } from '../db/settings';
import type { SyncSettings } from '../domain/config';
import type { Adapter } from './adapter';
import type { SyncEnv } from './engine';

export type AlertRun = 'done' | 'not-configured' | 'waiting' | 'failed' | 'already-running';

/**
 * The token to send with, without enrolling: trading an enrolment code is the main run's (two
 * claims at once would revoke each other's token). Undefined until there is one to use.
 */
async function knownToken(env: SyncEnv, settings: SyncSettings): Promise<string | undefined> {
  if (settings.token || !settings.enrolment) return settings.token ?? '';
  const enrolled = await readMeta(env.db, 'enrolled');
  return enrolled?.code === settings.enrolment ? enrolled.token : undefined;
}

/** Reads what the receiver says of this checkpoint's alerts since the last look. */
export async function pullAlerts(env: SyncEnv, adapter: Adapter, settings: SyncSettings) {
  if (!adapter.pullAlerts) return;
  const cursor = (await readMeta(env.db, 'alertsCursor')) ?? 0;
  const pulled = await adapter.pullAlerts(settings, cursor, { fetch: env.fetch, now: env.now });
  if (!pulled) return;
  await saveAlerts(env.db, pulled.alerts);
  await writeMeta(env.db, 'alertsCursor', pulled.next);
}

async function run(env: SyncEnv): Promise<AlertRun> {
  const config = await readMeta(env.db, 'config');
  const settings = config?.sync;
  if (!settings) return 'not-configured';
  const adapter = await env.adapters(settings.adapter);
  // A pause (a refused token, a wrong address) waits for a person, in this lane too.
  if ((await readSyncStatus(env.db)).paused) return 'waiting';
  const token = await knownToken(env, settings);
  if (token === undefined) return 'waiting';
  const sending = { ...settings, ...(token && { token }) };
  const deps = { fetch: env.fetch, now: env.now };
  for (const entry of await expressPending(env.db)) {
    const batch: FrozenBatch = {
      batchId: entry.batchId,
      lane: 0,
      frozenAt: entry.frozenAt,
      records: [entry.record],
      attempts: entry.attempts,
    };
    const outcome = await adapter.send(batch, sending, deps);
    const answers = outcome.kind === 'answered' ? outcome.answers : (outcome.settled ?? []);
    const answer = answers.find((candidate) => candidate.id === entry.recordId);
    if (answer?.status === 'accepted' || answer?.status === 'duplicate')
      await markDelivered(env.db, entry.recordId, env.now());
    else if (answer || outcome.kind === 'split' || outcome.kind === 'too-large')
      // Refused: the main queue isolates it and shows the reason; the gate offers the SMS.
      await env.db.express.delete(entry.recordId);
    else {
      await countExpressAttempt(env.db, entry);
      return 'failed';
    }
  }
  await pullAlerts(env, adapter, sending);
  return 'done';
}

/** Sends the alert lane's records not yet delivered, then reads the alerts' states. */
export function sendAlerts(env: SyncEnv): Promise<AlertRun> {
  const exclusive = env.exclusiveAlerts ?? (<T>(fn: () => Promise<T>) => fn());
  return exclusive(() => run(env)).then((result) => result ?? 'already-running');
}
