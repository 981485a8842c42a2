import type { RecordAnswer } from '../db/outbox';
import type { SyncSettings } from '../domain/config';
import type { KadianRecord } from '../domain/records';
import type { Adapter, AdapterDeps, Outcome } from './adapter';
import { authorization, classifyFailure, request, serverDate } from './http';

const recordUrl = (settings: SyncSettings, id: string) =>
  `${settings.endpoint.replace(/\/$/, '')}/${encodeURIComponent(id)}`;

const isAnswer = (value: RecordAnswer | Outcome): value is RecordAnswer => 'id' in value;

/** Whether the collection already holds the record: true, false, or undefined when it cannot tell. */
async function alreadyStored(record: KadianRecord, settings: SyncSettings, deps: AdapterDeps) {
  const response = await request(
    deps.fetch,
    recordUrl(settings, record.id),
    { headers: authorization(settings.token) },
    settings.timeoutMs,
  );
  if ('kind' in response) return undefined;
  if (response.status === 200) return true;
  if (response.status === 404 || response.status === 410) return false;
  return undefined;
}

/** The answer to one record's POST, or the outcome that stops the batch. */
async function postOne(
  record: KadianRecord,
  settings: SyncSettings,
  deps: AdapterDeps,
): Promise<RecordAnswer | Outcome> {
  const response = await request(
    deps.fetch,
    settings.endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization(settings.token) },
      body: JSON.stringify(record),
    },
    settings.timeoutMs,
  );
  if ('kind' in response) return response;
  const date = serverDate(response);
  if (settings.duplicateStatus !== undefined && response.status === settings.duplicateStatus) {
    return { id: record.id, status: 'duplicate' };
  }
  if (response.status === 201 || response.status === 204)
    return { id: record.id, status: 'accepted' };
  if (response.status === 200) {
    const json = await response.json().then(
      () => true,
      () => false,
    );
    return json
      ? { id: record.id, status: 'accepted' }
      : { kind: 'backoff', problem: 'invalid-answer', status: 200, serverDate: date };
  }
  const failure = classifyFailure(response, deps.now()) ?? {
    kind: 'backoff',
    problem: 'invalid-answer',
    status: response.status,
  };
  // One record per request: a 400/422 or 413 is about this record alone.
  if (failure.kind === 'split') return { id: record.id, status: 'rejected', error: failure.error };
  if (failure.kind === 'too-large')
    return { id: record.id, status: 'rejected', error: 'HTTP 413: too large' };
  return failure;
}

/**
 * One POST per record to a collection. After a 5xx, a network error or a timeout the record's URL
 * is asked (GET) before anything is sent again: found means the first POST did arrive.
 */
export const plainAdapter: Adapter = {
  async send(batch, settings, deps): Promise<Outcome> {
    const settled: RecordAnswer[] = [];
    for (const record of batch.records) {
      // A retried batch may have reached the collection before it failed: look before resending.
      if (batch.attempts > 0) {
        const stored = await alreadyStored(record, settings, deps);
        if (stored === undefined) return { kind: 'backoff', problem: 'offline', settled };
        if (stored) {
          settled.push({ id: record.id, status: 'duplicate' });
          continue;
        }
      }
      const outcome = await postOne(record, settings, deps);
      if (isAnswer(outcome)) {
        settled.push(outcome);
        continue;
      }
      if (
        outcome.kind === 'backoff' &&
        (outcome.problem === 'server-error' ||
          outcome.problem === 'offline' ||
          outcome.problem === 'timeout')
      ) {
        const stored = await alreadyStored(record, settings, deps);
        if (stored) {
          settled.push({ id: record.id, status: 'duplicate' });
          continue;
        }
      }
      return { ...outcome, settled };
    }
    return { kind: 'answered', answers: settled };
  },
};
