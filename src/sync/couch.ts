import * as z from 'zod/mini';
import type { RecordAnswer } from '../db/outbox';
import type { Adapter, Outcome } from './adapter';
import { authorization, classifyFailure, parseJson, request, serverDate } from './http';

const DocResults = z.array(
  z.object({
    // The document's id must come back: an answer that names no record proves nothing about it.
    id: z.string(),
    ok: z.optional(z.boolean()),
    error: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
);

/**
 * CouchDB's per-document answers to _bulk_docs: ok = accepted, conflict = the id is already there
 * (duplicate), anything else (forbidden, unauthorized, …) = rejected with the database's reason.
 * Undefined unless every document sent has an answer.
 */
export function readCouchResults(body: string, ids: string[]): RecordAnswer[] | undefined {
  const results = DocResults.safeParse(parseJson(body));
  if (!results.success || results.data.length !== ids.length) return undefined;
  // _bulk_docs answers in the order the documents were sent.
  const answers: RecordAnswer[] = [];
  for (const [index, id] of ids.entries()) {
    const result = results.data[index];
    if (!result || result.id !== id) return undefined;
    if (result.ok) answers.push({ id, status: 'accepted' });
    else if (result.error === 'conflict') answers.push({ id, status: 'duplicate' });
    else
      answers.push({
        id,
        status: 'rejected',
        error: `${result.error ?? 'error'}: ${result.reason ?? ''}`.trim(),
      });
  }
  return answers;
}

/** POST {database}/_bulk_docs with each record as a document whose _id is the record's id. */
export const couchAdapter: Adapter = {
  async send(batch, settings, deps): Promise<Outcome> {
    const docs = batch.records.map((record) => ({ _id: record.id, ...record }));
    const response = await request(
      deps.fetch,
      `${settings.endpoint.replace(/\/$/, '')}/_bulk_docs`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization(settings.token) },
        body: JSON.stringify({ docs }),
      },
      settings.timeoutMs,
    );
    if ('kind' in response) return response;
    const failure = classifyFailure(response, deps.now());
    if (failure) return failure;
    const answers = readCouchResults(
      await response.text().catch(() => ''),
      batch.records.map((record) => record.id),
    );
    const date = serverDate(response);
    if (!answers)
      return {
        kind: 'backoff',
        problem: 'invalid-answer',
        status: response.status,
        serverDate: date,
      };
    return { kind: 'answered', answers, serverDate: date };
  },
};
