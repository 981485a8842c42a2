import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord, RecordData } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

const gate = (deviceId: string, checkpointId: string) => ({
  ...deviceConfig,
  deviceId,
  checkpoint: { id: checkpointId, name: checkpointId },
});
function make<K extends KadianRecord['kind']>(
  config: ReturnType<typeof gate>,
  kind: K,
  data: RecordData<K>,
) {
  const made = makeRecord(
    { config, now: Date.now(), newId: () => crypto.randomUUID() },
    kind,
    data,
  );
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value;
}
const reading = (config: ReturnType<typeof gate>) =>
  make(config, 'temperature', {
    subject: { type: 'person' },
    celsius: 36.6,
    method: 'forehead',
    fever: false,
  });

async function upload(token: string, deviceId: string, records: KadianRecord[]) {
  const key = crypto.randomUUID();
  const response = await fetch(`${receiver.endpoint}/batches`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ deviceId, batchId: key, frozenAt: 1, records }),
  });
  const body = await response.json();
  return { status: response.status, body };
}
const statuses = (answer: { body: { results: { status: string; error?: string }[] } }) =>
  answer.body.results.map((result) => [result.status, result.error]);

async function enrolment(token: string, checkpointId: string, validDays?: number) {
  return fetch(`${receiver.endpoint}/enrolments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ checkpointId, ...(validDays && { validDays }) }),
  });
}
const claim = (code: string, deviceId: string) =>
  fetch(`${receiver.endpoint}/enrolments/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceId }),
  });

describe('the receiver’s tokens', () => {
  it('gives a gate that brings the office’s one-time enrolment code a token of its own, bound to it and its checkpoint', async () => {
    receiver = await startReceiver();
    const office = await receiver.store.createToken('东岳社区', 'office', 1);
    const made = await enrolment(office, 'lj-03');
    expect(made.status).toBe(201);
    const { code, checkpointId, expiresAt } = await made.json();
    expect(checkpointId).toBe('lj-03');
    expect(expiresAt).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    const claimed = await claim(code, 'dev-north');
    expect(claimed.status).toBe(201);
    const { token } = await claimed.json();
    // The code is spent.
    expect((await claim(code, 'dev-thief')).status).toBe(401);

    const north = gate('dev-north', 'lj-03');
    const own = reading(north);
    const elsewhere = reading(gate('dev-north', 'zj-01'));
    const asAnother = reading(gate('dev-south', 'lj-03'));
    const revocation = make(north, 'pass-revocation', {
      passId: 'eef3eeb7-000123',
      reason: '挂失',
    });
    const answer = await upload(token, 'dev-north', [own, elsewhere, asAnother, revocation]);
    expect(statuses(answer)).toEqual([
      ['accepted', undefined],
      ['rejected', 'checkpointId: this token belongs to checkpoint lj-03'],
      ['rejected', 'deviceId: this token belongs to device dev-north'],
      ['rejected', 'pass revocations come from the office only'],
    ]);
    expect(await receiver.store.recordIds()).toEqual([own.id]);
    const pulled = await fetch(`${receiver.endpoint}/revocations?since=0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await pulled.json()).revocations).toEqual([]);
  });

  it('refuses a second device presenting a gate’s token, saying to set it up again', async () => {
    receiver = await startReceiver();
    const office = await receiver.store.createToken('东岳社区', 'office', 1);
    const { code } = await (await enrolment(office, 'lj-03')).json();
    const { token } = await (await claim(code, 'dev-north')).json();
    const copy = await upload(token, 'dev-copy', [reading(gate('dev-copy', 'lj-03'))]);
    expect(copy).toEqual({
      status: 403,
      body: {
        error:
          'this token belongs to another device: set this device up again with a new setup code from the office',
      },
    });
    expect(await receiver.store.recordCount()).toBe(0);
  });

  it('binds a token made before binding to the first device that uploads with it', async () => {
    receiver = await startReceiver();
    const legacy = await receiver.store.createToken('dev-north', 'device', 1);
    const first = await upload(legacy, 'dev-north', [reading(gate('dev-north', 'lj-03'))]);
    expect(statuses(first)).toEqual([['accepted', undefined]]);
    expect(await receiver.store.principal(legacy)).toEqual({
      role: 'device',
      label: 'dev-north',
      deviceId: 'dev-north',
      checkpointId: 'lj-03',
    });
    expect((await upload(legacy, 'dev-south', [reading(gate('dev-south', 'lj-03'))])).status).toBe(
      403,
    );
    const plain = await fetch(`${receiver.endpoint}/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${legacy}` },
      body: JSON.stringify(reading(gate('dev-north', 'zj-01'))),
    });
    expect([plain.status, (await plain.json()).error]).toEqual([
      403,
      'checkpointId: this token belongs to checkpoint lj-03',
    ]);
  });

  it('lets only the office revoke passes and make enrolment codes, and refuses expired codes', async () => {
    receiver = await startReceiver();
    const office = await receiver.store.createToken('东岳社区', 'office', 1);
    const device = await receiver.store.createToken('dev-north', 'device', 1);
    const viewer = await receiver.store.createToken('龙阳街道', 'viewer', 1, { scope: '龙阳街道' });
    expect((await enrolment(device, 'lj-03')).status).toBe(401);
    expect((await enrolment(viewer, 'lj-03')).status).toBe(401);
    expect((await upload(viewer, 'dev-x', [reading(gate('dev-x', 'lj-03'))])).status).toBe(401);
    const revocation = make(gate('office-pc', 'office'), 'pass-revocation', {
      passId: 'eef3eeb7-000123',
      reason: '挂失',
    });
    expect(statuses(await upload(office, 'office-pc', [revocation]))).toEqual([
      ['accepted', undefined],
    ]);
    const { code } = await (await enrolment(office, 'lj-03', 1)).json();
    const later = Date.now() + 2 * 24 * 3600 * 1000;
    expect(await receiver.store.claimEnrolment(code, 'dev-late', later)).toBeUndefined();
  });
});
