import type { RecordAnswer } from '../db/outbox';
import type { SyncSettings } from '../domain/config';
import type { KadianRecord } from '../domain/records';
import type { Adapter, AdapterDeps, Outcome } from './adapter';
import {
  authorization,
  classifyFailure,
  parseJson,
  refusalReason,
  request,
  serverDate,
} from './http';

const recordUrl = (settings: SyncSettings, id: string) =>
  `${settings.endpoint.replace(/\/$/, '')}/${encodeURIComponent(id)}`;

const isAnswer = (value: RecordAnswer | Outcome): value is RecordAnswer => 'id' in value;

/**
 * Whether the collection already holds the record: true only when its URL answers with the record
 * itself (same id) — a captive portal's page or a server's error is no proof —, false when it is
 * not found, and otherwise the outcome that says why it cannot tell.
 */
async function alreadyStored(
  record: KadianRecord,
  settings: SyncSettings,
  deps: AdapterDeps,
): Promise<boolean | Outcome> {
  const response = await request(
    deps.fetch,
    recordUrl(settings, record.id),
    { headers: authorization(settings.token) },
    settings.timeoutMs,
  );
  if ('kind' in response) return response;
  if (response.status === 404 || response.status === 410) return false;
  const body = parseJson(await response.text().catch(() => '')) as { id?: unknown } | undefined;
  if (response.status === 200 && body?.id === record.id) return true;
  return (
    classifyFailure(response, deps.now()) ?? {
      kind: 'backoff',
      problem: 'invalid-answer',
      status: response.status,
      serverDate: serverDate(response),
    }
  );
}

/**
 * A status an endpoint gives an id it already has. A server error never means that: json-server's
 * 500 for a repeated id is settled by the GET like any other 5xx.
 */
const isDuplicateStatus = (settings: SyncSettings, status: number) =>
  settings.duplicateStatus !== undefined &&
  settings.duplicateStatus < 500 &&
  status === settings.duplicateStatus;

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
  if (isDuplicateStatus(settings, response.status)) return { id: record.id, status: 'duplicate' };
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
  // One record per request: a 400/422 or 413 is about this record alone, with the endpoint's reason.
  if (failure.kind === 'split')
    return { id: record.id, status: 'rejected', error: await refusalReason(response) };
  if (failure.kind === 'too-large')
    return { id: record.id, status: 'rejected', error: 'HTTP 413: too large' };
  return failure;
}

/**
 * One POST per record to a collection, in order. After a 5xx, a network error or a timeout the
 * record's URL is asked (GET) before anything is sent again: found means the POST did arrive.
 */
export const plainAdapter: Adapter = {
  async send(batch, settings, deps): Promise<Outcome> {
    const settled: RecordAnswer[] = [];
    for (const [index, record] of batch.records.entries()) {
      // Records answered in an earlier attempt have left the batch, and the ones after the record
      // it stopped at were never sent: only that first one's outcome is unknown. Look before resending.
      if (index === 0 && batch.attempts > 0) {
        const stored = await alreadyStored(record, settings, deps);
        if (stored === true) {
          settled.push({ id: record.id, status: 'duplicate' });
          continue;
        }
        if (stored !== false) return { ...stored, settled };
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
          outcome.problem === 'unreachable' ||
          outcome.problem === 'timeout')
      ) {
        const stored = await alreadyStored(record, settings, deps);
        if (stored === true) {
          settled.push({ id: record.id, status: 'duplicate' });
          continue;
        }
        // The check failed too: what it says (a 5xx to the GET is the server failing) is the news.
        if (stored !== false && stored.kind === 'backoff' && stored.problem === 'server-error')
          return { ...stored, settled };
      }
      return { ...outcome, settled };
    }
    return { kind: 'answered', answers: settled };
  },
};
