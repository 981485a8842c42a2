// The devices' API: the native batch contract, the plain contract (a record per request, and
// reading one back), revocations to pull, and enrolment (the office's one-time codes, a gate's
// claim). Bodies are size-limited before they are parsed.
import type { IncomingMessage } from 'node:http';
import * as z from 'zod/mini';
import { DAY_MS } from '../src/domain/day';
import { identifier } from '../src/domain/fields';
import { type Principal, refusalOf } from './access';
import type { Guard } from './guard';
import { cursorOf, HttpError, jsonOf, readBody, send } from './http';
import { router } from './routes';
import { type Checked, type Store, sha256 } from './store';
import { validate } from './validate';

/**
 * The most records one batch may carry (the app sends at most this many). A body within the byte
 * limit could otherwise hold millions of tiny records, each validated, stored and answered.
 */
export const MAX_BATCH_RECORDS = 1000;

const BatchEnvelope = z.object({
  deviceId: z.string().check(z.minLength(1), z.maxLength(64)),
  batchId: z.string().check(z.minLength(1), z.maxLength(128)),
  frozenAt: z.number(),
  records: z.array(z.unknown()),
});

/** Enrolment codes are valid this many days unless the office says otherwise. */
const ENROLMENT_DAYS = 7;
const EnrolmentRequest = z.object({
  checkpointId: identifier,
  validDays: z.optional(z.int().check(z.minimum(1), z.maximum(30))),
});
const EnrolmentClaim = z.object({ code: z.string().check(z.maxLength(100)), deviceId: identifier });

/** A valid record the token's holder may not store becomes a refusal, with the reason. */
function permitted(principal: Principal, checked: Checked): Checked {
  if (!('record' in checked)) return checked;
  const refusal = refusalOf(principal, checked.record);
  return refusal ? { id: checked.record.id, error: refusal } : checked;
}

export function deviceRoutes({
  store,
  now,
  guard: { authorize, uploader },
  bodyLimitBytes,
}: {
  store: Store;
  now: () => number;
  guard: Guard;
  bodyLimitBytes: number;
}) {
  async function postBatch(request: IncomingMessage) {
    await authorize(request, 'upload');
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '')
      throw new HttpError(400, 'Idempotency-Key header missing');
    const body = await readBody(request, bodyLimitBytes);
    const answered = await store.answeredBatch(key);
    if (answered) {
      // A retry of a batch already committed: the same answer; a different body under the key is refused.
      if (answered.bodyHash !== sha256(body))
        throw new HttpError(422, 'this Idempotency-Key came with another body');
      return { results: answered.results };
    }
    const envelope = BatchEnvelope.safeParse(jsonOf(body));
    if (!envelope.success)
      throw new HttpError(400, 'body is not a batch {deviceId, batchId, frozenAt, records}');
    if (envelope.data.batchId !== key)
      throw new HttpError(400, 'batchId differs from Idempotency-Key');
    // 413, as for too many bytes: the app halves the batch and sends the halves.
    if (envelope.data.records.length > MAX_BATCH_RECORDS)
      throw new HttpError(413, `a batch holds at most ${MAX_BATCH_RECORDS} records`, {
        connection: 'close',
      });
    const checked = envelope.data.records.map(validate);
    const first = checked.find((item) => 'record' in item);
    const principal = await uploader(
      request,
      envelope.data.deviceId,
      first && 'record' in first ? first.record.checkpointId : undefined,
    );
    const results = await store.commitBatch(
      key,
      body,
      envelope.data.deviceId,
      checked.map((item) => permitted(principal, item)),
      now(),
    );
    // The same key sent at once with another body: the one that committed first holds it.
    if (results === 'other body')
      throw new HttpError(422, 'this Idempotency-Key came with another body');
    return { results };
  }

  return router([
    {
      method: 'POST',
      path: '/api/v1/batches',
      handle: async ({ request, response }) => send(response, 200, await postBatch(request)),
    },
    {
      // The plain contract: one record per POST; 201 when stored, 409 when its id is known.
      method: 'POST',
      path: '/api/v1/records',
      handle: async ({ request, response }) => {
        await authorize(request, 'upload');
        const valid = validate(jsonOf(await readBody(request, bodyLimitBytes)));
        if (!('record' in valid)) throw new HttpError(422, valid.error);
        const { deviceId, checkpointId } = valid.record;
        const checked = permitted(await uploader(request, deviceId, checkpointId), valid);
        if (!('record' in checked)) throw new HttpError(403, checked.error);
        const status = await store.insertRecord(checked.record, now());
        send(response, status === 'accepted' ? 201 : 409, { id: checked.record.id, status });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/records\/([^/]+)$/,
      handle: async ({ request, response, params: [id = ''] }) => {
        await authorize(request, 'upload');
        const body = await store.findRecord(id);
        if (body === undefined) throw new HttpError(404, 'no such record');
        response.writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
        });
        response.end(body);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/revocations',
      handle: async ({ url, request, response }) => {
        await authorize(request, 'upload');
        send(response, 200, await store.revocationsSince(cursorOf(url), 1000));
      },
    },
    {
      // The office makes a one-time code a new gate of a checkpoint trades for its own token.
      method: 'POST',
      path: '/api/v1/enrolments',
      handle: async ({ request, response }) => {
        const office = await authorize(request, 'enrol-devices');
        const asked = EnrolmentRequest.safeParse(jsonOf(await readBody(request, 4096)));
        if (!asked.success)
          throw new HttpError(400, 'body must be {checkpointId, validDays?} (validDays 1 to 30)');
        const expiresAt = now() + (asked.data.validDays ?? ENROLMENT_DAYS) * DAY_MS;
        const code = await store.createEnrolment(
          asked.data.checkpointId,
          office.label,
          expiresAt,
          now(),
        );
        send(response, 201, { code, checkpointId: asked.data.checkpointId, expiresAt });
      },
    },
    {
      // A new gate trades its enrolment code for a token bound to it and the code's checkpoint.
      method: 'POST',
      path: '/api/v1/enrolments/claim',
      handle: async ({ request, response }) => {
        const claim = EnrolmentClaim.safeParse(jsonOf(await readBody(request, 4096)));
        if (!claim.success) throw new HttpError(400, 'body must be {code, deviceId}');
        const claimed = await store.claimEnrolment(claim.data.code, claim.data.deviceId, now());
        if (!claimed)
          throw new HttpError(
            401,
            'this enrolment code is unknown, used or expired: ask the office for a new setup code',
          );
        send(response, 201, claimed);
      },
    },
  ]);
}
