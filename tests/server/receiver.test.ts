import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../../src/domain/make-record';
import type { KadianRecord } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { startReceiver } from './harness';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => receiver?.stop());

let counter = 0;
function temperature(celsius = 36.6): KadianRecord {
  counter += 1;
  const made = makeRecord(
    {
      config: deviceConfig,
      now: 1764403200000 + counter,
      newId: () => `0192f0a4-3b7d-7c35-9a51-${String(counter).padStart(12, '0')}`,
    },
    'temperature',
    { subject: { type: 'person' }, celsius, method: 'forehead', fever: false },
  );
  if (!made.ok) throw new Error('invalid');
  return made.value;
}

function post(
  key: string,
  records: unknown[],
  headers: Record<string, string> = {},
  body?: string,
) {
  return fetch(`${receiver.endpoint}/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: body ?? JSON.stringify({ deviceId: 'dev-0001', batchId: key, frozenAt: 1, records }),
  });
}

describe('the reference receiver', () => {
  it('answers each record: accepted, duplicate when known, rejected with the rule it broke', async () => {
    receiver = await startReceiver();
    const first = temperature();
    const second = temperature();
    const bad = {
      ...temperature(),
      data: { subject: { type: 'person' }, celsius: 36.65, method: 'forehead', fever: false },
    };
    await post('batch-1', [first]);
    const response = await post('batch-2', [first, second, bad, { nope: 1 }]);
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).not.toBeNull();
    expect(await response.json()).toEqual({
      results: [
        { id: first.id, status: 'duplicate' },
        { id: second.id, status: 'accepted' },
        { id: bad.id, status: 'rejected', error: 'data.celsius: temperature-format' },
        { id: '', status: 'rejected', error: 'kind: invalid' },
      ],
    });
    expect(await receiver.store.recordIds()).toEqual([first.id, second.id].sort());
  });

  it('answers a retried key with the same results, and a key with another body with 422', async () => {
    receiver = await startReceiver();
    const record = temperature();
    const answer = await (await post('batch-1', [record])).json();
    const retry = await post('batch-1', [record]);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(answer);
    expect(answer).toEqual({ results: [{ id: record.id, status: 'accepted' }] });
    const other = await post('batch-1', [record, temperature()]);
    expect(other.status).toBe(422);
    expect(await receiver.store.recordCount()).toBe(1);
  });

  it.each([
    ['no Idempotency-Key', 400, {}, 'x'],
    ['a body that is not JSON', 400, { 'idempotency-key': 'k1' }, '<html>'],
    ['a body that is not a batch', 400, { 'idempotency-key': 'k2' }, '{"records":1}'],
  ])('refuses %s with %i', async (_, status, headers, body) => {
    receiver = await startReceiver();
    const response = await fetch(`${receiver.endpoint}/batches`, { method: 'POST', headers, body });
    expect(response.status).toBe(status);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    receiver = await startReceiver({ bodyLimitBytes: 2000 });
    const records = Array.from({ length: 10 }, () => temperature());
    const response = await post('big', records);
    expect(response.status).toBe(413);
    expect(await receiver.store.recordCount()).toBe(0);
  });

  it('refuses a batch of more records than it takes with 413 and a reason, before storing any', async () => {
    receiver = await startReceiver();
    const body = JSON.stringify({
      deviceId: 'dev-0001',
      batchId: 'many',
      frozenAt: 1,
      records: Array.from({ length: 1001 }, () => ({})),
    });
    const response = await post('many', [], {}, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'a batch holds at most 1000 records' });
    expect(await receiver.store.recordCount()).toBe(0);
    expect(await receiver.store.answeredBatch('many')).toBeUndefined();
    // One within the bound is answered record by record.
    const within = await post('within', [temperature(), {}]);
    expect(
      (await within.json()).results.map((result: { status: string }) => result.status),
    ).toEqual(['accepted', 'rejected']);
  });

  it.each(['/%E0%A4%A', '/api/v1/records/%E0%A4%A', '/assets/%zz.js'])(
    'answers an address with broken percent-encoding (%s) with 400',
    async (path) => {
      receiver = await startReceiver({ staticDir: mkdtempSync(join(tmpdir(), 'kadian-dist-')) });
      const response = await fetch(`${receiver.origin}${path}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'the address has a broken percent-encoding',
      });
    },
  );

  it('refuses a void of a void, in the same batch or a later one, with the reason', async () => {
    receiver = await startReceiver();
    const reading = temperature();
    const voidOf = (targetId: string) => {
      const made = makeRecord(
        { config: deviceConfig, now: 1764403300000, newId: () => crypto.randomUUID() },
        'void',
        { targetId, reason: '更正' },
      );
      if (!made.ok) throw new Error('invalid');
      return made.value;
    };
    const first = voidOf(reading.id);
    const second = voidOf(first.id);
    const answer = await (await post('v1', [reading, first, second])).json();
    expect(
      answer.results.map((result: { status: string; error?: string }) => [
        result.status,
        result.error,
      ]),
    ).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['rejected', 'data.targetId: a void cannot be voided'],
    ]);
    const later = await (await post('v2', [voidOf(first.id)])).json();
    expect(later.results[0].status).toBe('rejected');
    expect(await receiver.store.recordCount()).toBe(2);
  });

  it('needs a live device token once any token exists', async () => {
    receiver = await startReceiver();
    const token = await receiver.store.createToken('dev-0001', 'device', 1);
    const viewer = await receiver.store.createToken('office', 'viewer', 1);
    expect((await post('a', [temperature()])).status).toBe(401);
    expect((await post('b', [temperature()], { authorization: `Bearer ${viewer}` })).status).toBe(
      401,
    );
    expect((await post('c', [temperature()], { authorization: `Bearer ${token}` })).status).toBe(
      200,
    );
    await receiver.store.revokeTokens('dev-0001', 2);
    expect((await post('d', [temperature()], { authorization: `Bearer ${token}` })).status).toBe(
      401,
    );
    expect(await receiver.store.recordCount()).toBe(1);
  });

  it('lists revocations after a cursor', async () => {
    receiver = await startReceiver();
    const revocation = (passId: string) => {
      const made = makeRecord(
        { config: deviceConfig, now: 1764403200000, newId: () => crypto.randomUUID() },
        'pass-revocation',
        { passId, reason: '挂失' },
      );
      if (!made.ok) throw new Error('invalid');
      return made.value;
    };
    await post('r1', [revocation('a1b2c3d4-000001'), revocation('a1b2c3d4-000002')]);
    const first = await (await fetch(`${receiver.endpoint}/revocations?since=0`)).json();
    expect(first.revocations.map((item: { passId: string }) => item.passId)).toEqual([
      'a1b2c3d4-000001',
      'a1b2c3d4-000002',
    ]);
    expect(first.next).toBe(2);
    expect(await (await fetch(`${receiver.endpoint}/revocations?since=2`)).json()).toEqual({
      revocations: [],
      next: 2,
    });
    expect((await fetch(`${receiver.endpoint}/revocations?since=-1`)).status).toBe(400);
  });

  it('lets configured origins call it from a browser, and no others', async () => {
    receiver = await startReceiver({ corsOrigins: ['https://gate.example'] });
    const preflight = await fetch(`${receiver.endpoint}/batches`, {
      method: 'OPTIONS',
      headers: { origin: 'https://gate.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://gate.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, idempotency-key',
    );
    const stranger = await post('x', [temperature()], { origin: 'https://elsewhere.example' });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the built app, with the shell for app routes and 404 for missing files', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'kadian-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>卡点</title>');
    writeFileSync(join(dist, 'sw.js'), '// worker');
    receiver = await startReceiver({ staticDir: dist });
    const shell = await fetch(`${receiver.origin}/visitors`);
    expect(await shell.text()).toBe('<!doctype html><title>卡点</title>');
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${receiver.origin}/sw.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await fetch(`${receiver.origin}/missing.js`)).status).toBe(404);
    const traversal = await fetch(`${receiver.origin}/assets/..%2f..%2f..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
    expect((await fetch(`${receiver.origin}/api/v1/nothing`)).status).toBe(404);
    expect(await (await fetch(`${receiver.origin}/config.json`)).json()).toEqual({
      sync: { endpoint: `${receiver.origin}/api/v1`, adapter: 'native' },
    });
  });
});

describe('the reference receiver’s plain collection', () => {
  it('stores one record per POST, answers 409 for a known id, and finds it by URL', async () => {
    receiver = await startReceiver();
    const record = temperature();
    const postOnce = () =>
      fetch(`${receiver.endpoint}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(record),
      });
    expect((await postOnce()).status).toBe(201);
    expect((await postOnce()).status).toBe(409);
    const found = await fetch(`${receiver.endpoint}/records/${record.id}`);
    expect(await found.json()).toEqual(record);
    expect(
      (await fetch(`${receiver.endpoint}/records/0192f0a4-0000-7000-8000-000000000000`)).status,
    ).toBe(404);
    const bad = await fetch(`${receiver.endpoint}/records`, {
      method: 'POST',
      body: JSON.stringify({ ...record, id: 'x' }),
    });
    expect(bad.status).toBe(422);
    expect(await receiver.store.recordCount()).toBe(1);
  });
});
