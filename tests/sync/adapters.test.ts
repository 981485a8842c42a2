import { afterEach, describe, expect, it } from 'vitest';
import { readSyncStatus, rejectedRecords } from '../../src/db/outbox';
import { readCouchResults } from '../../src/sync/couch';
import { syncOnce } from '../../src/sync/engine';
import { type Peer, startJsonServer, startPouchdb } from '../peers';
import { gateRecords, syncDevice } from './device';
import { startFaultProxy } from './fault-proxy';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});
async function peer(start: () => Promise<Peer>) {
  const started = await start();
  stops.push(started.stop);
  return started;
}

describe('readCouchResults', () => {
  it('reads ok, conflict and refusals per document, in the order sent', () => {
    const body = JSON.stringify([
      { ok: true, id: 'a', rev: '1-x' },
      { id: 'b', error: 'conflict', reason: 'Document update conflict' },
      { id: 'c', error: 'forbidden', reason: 'checkpoint not allowed' },
    ]);
    expect(readCouchResults(body, ['a', 'b', 'c'])).toEqual([
      { id: 'a', status: 'accepted' },
      { id: 'b', status: 'duplicate' },
      { id: 'c', status: 'rejected', error: 'forbidden: checkpoint not allowed' },
    ]);
  });
  it.each([
    ['fewer answers than documents', '[{"ok":true,"id":"a"}]'],
    ['answers for other ids', '[{"ok":true,"id":"x"},{"ok":true,"id":"y"}]'],
    ['an HTML page', '<html></html>'],
    ['an object', '{"ok":true}'],
  ])('is not a success for %s', (_, body) => {
    expect(readCouchResults(body, ['a', 'b'])).toBeUndefined();
  });
});

describe('the couch adapter against pouchdb-server 4.2.0', () => {
  it('stores every record as a document, and takes a conflict on a resent id as done', async () => {
    const couch = await peer(() => startPouchdb());
    await fetch(`${couch.origin}/kadian`, { method: 'PUT' });
    const endpoint = `${couch.origin}/kadian`;
    const first = await syncDevice(endpoint, { adapter: 'couch', batchSize: 10 });
    const records = gateRecords(25);
    await first.add(records);
    expect(await syncOnce(first.env)).toBe('done');
    // Another device holding the same records (a restored backup, say) sends them again.
    const second = await syncDevice(endpoint, { adapter: 'couch' });
    await second.add(records.slice(0, 5));
    expect(await syncOnce(second.env)).toBe('done');
    expect(new Set(await second.states())).toEqual(new Set(['sent']));
    const all = await (await fetch(`${endpoint}/_all_docs?include_docs=true`)).json();
    expect(all.total_rows).toBe(25);
    expect(all.rows.map((row: { id: string }) => row.id).sort()).toEqual(
      records.map((record) => record.id).sort(),
    );
    expect(all.rows[0].doc.schemaVersion).toBe(1);
  });

  it('rejects what a validation function forbids, without holding up the rest', async () => {
    const couch = await peer(() => startPouchdb());
    const endpoint = `${couch.origin}/kadian`;
    await fetch(endpoint, { method: 'PUT' });
    await fetch(`${endpoint}/_design/rules`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        validate_doc_update:
          "function (doc) { if (doc.data && doc.data.celsius > 38) throw({ forbidden: 'no readings above 38 here' }); }",
      }),
    });
    const device = await syncDevice(endpoint, { adapter: 'couch' });
    const records = gateRecords(5, { fevers: true });
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect((await rejectedRecords(device.db)).map((row) => [row.record.id, row.error])).toEqual([
      [records[4]?.id, 'forbidden: no readings above 38 here'],
    ]);
    expect(
      (await (await fetch(`${endpoint}/_all_docs`)).json()).rows.filter(
        (row: { id: string }) => !row.id.startsWith('_design'),
      ).length,
    ).toBe(4);
  });

  it('halves batches when documents are too large for the server', async () => {
    const couch = await peer(() => startPouchdb(1024));
    const endpoint = `${couch.origin}/kadian`;
    await fetch(endpoint, { method: 'PUT' });
    const device = await syncDevice(endpoint, { adapter: 'couch', batchSize: 8 });
    const records = gateRecords(8);
    const huge = {
      ...records[3],
      volunteer: { name: '大'.repeat(1000) },
    } as (typeof records)[number];
    records[3] = huge;
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect((await rejectedRecords(device.db)).map((row) => row.record.id)).toEqual([huge.id]);
    expect((await (await fetch(`${endpoint}/_all_docs`)).json()).total_rows).toBe(7);
  });
});

describe('the plain adapter against json-server 0.17.4', () => {
  it('posts each record to the collection', async () => {
    const collection = await peer(startJsonServer);
    const device = await syncDevice(`${collection.origin}/records`, { adapter: 'plain' });
    const records = gateRecords(12);
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    const stored = await (await fetch(`${collection.origin}/records`)).json();
    expect(stored.map((record: { id: string }) => record.id)).toEqual(
      records.map((record) => record.id),
    );
    expect(await device.pending()).toBe(0);
  });

  it('asks for a record after a 5xx and does not resend one that arrived', async () => {
    const collection = await peer(startJsonServer);
    let posts = 0;
    const proxy = await startFaultProxy(collection.origin, (seen) =>
      seen.method === 'POST' && ++posts === 3 ? 'fail-after-commit' : 'pass',
    );
    stops.push(proxy.stop);
    const device = await syncDevice(`${proxy.origin}/records`, { adapter: 'plain' });
    const records = gateRecords(5);
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    const third = records[2]?.id;
    expect(proxy.seen.map((seen) => `${seen.method} ${seen.path}`)).toEqual([
      'POST /records',
      'POST /records',
      'POST /records',
      `GET /records/${third}`,
      'POST /records',
      'POST /records',
    ]);
    expect((await (await fetch(`${collection.origin}/records`)).json()).length).toBe(5);
  });

  it('after a network failure with nothing stored, sends the record again on the next run', async () => {
    const collection = await peer(startJsonServer);
    let drop = true;
    const proxy = await startFaultProxy(collection.origin, (seen) => {
      if (seen.method === 'POST' && drop) {
        drop = false;
        return { status: 503 };
      }
      return 'pass';
    });
    stops.push(proxy.stop);
    const device = await syncDevice(`${proxy.origin}/records`, {
      adapter: 'plain',
      backoffBaseMs: 10,
    });
    await device.add(gateRecords(3));
    expect(await syncOnce(device.env)).toBe('stopped');
    expect((await readSyncStatus(device.db)).lastProblem?.problem).toBe('rate-limited');
    device.clock.now += 60_000;
    expect(await syncOnce(device.env)).toBe('done');
    expect((await (await fetch(`${collection.origin}/records`)).json()).length).toBe(3);
    // The retried batch looked before it resent the record whose outcome was unknown (one GET);
    // the two after it had never been sent.
    expect(proxy.seen.slice(1).map((seen) => seen.method)).toEqual(['GET', 'POST', 'POST', 'POST']);
  });
});

describe('the plain adapter on a bad link, against json-server 0.17.4', () => {
  async function plainBehind(plan: Parameters<typeof startFaultProxy>[1], settings = {}) {
    const collection = await peer(startJsonServer);
    const proxy = await startFaultProxy(collection.origin, plan);
    stops.push(proxy.stop);
    const device = await syncDevice(`${proxy.origin}/records`, {
      adapter: 'plain',
      backoffBaseMs: 1000,
      ...settings,
    });
    const stored = async () =>
      ((await (await fetch(`${collection.origin}/records`)).json()) as { id: string }[]).map(
        (record) => record.id,
      );
    return { proxy, device, stored };
  }

  it('starts the wait again from its base after every attempt that delivered records', async () => {
    // Every fourth POST is cut off before it reaches the collection.
    let posts = 0;
    const { device, stored } = await plainBehind((seen) =>
      seen.method === 'POST' && ++posts % 4 === 0 ? { status: 502 } : 'pass',
    );
    const records = gateRecords(12);
    await device.add(records);
    const waits: number[] = [];
    for (let run = 0; run < 20 && (await device.pending()) > 0; run++) {
      await syncOnce(device.env);
      const status = await readSyncStatus(device.db);
      if (status.nextAttemptAt !== undefined) waits.push(status.nextAttemptAt - device.clock.now);
      device.clock.now += 60_000;
    }
    expect(await stored()).toEqual(records.map((record) => record.id));
    // Each stopped attempt had delivered three records: the wait stays at its first step (½–1 s).
    expect(waits).toEqual([750, 750, 750]);
  });

  it('never takes a server error for "already there", even when configured to', async () => {
    // A device set up before 5xx was refused here: its stored settings still say 500.
    let posts = 0;
    const { device, stored } = await plainBehind(
      (seen) => (seen.method === 'POST' && ++posts % 3 === 0 ? { status: 500 } : 'pass'),
      { duplicateStatus: 500 },
    );
    const records = gateRecords(9);
    await device.add(records);
    for (let run = 0; run < 10 && (await device.pending()) > 0; run++) {
      await syncOnce(device.env);
      device.clock.now += 60_000;
    }
    expect(await stored()).toEqual(records.map((record) => record.id));
    expect(await device.pending()).toBe(0);
  });

  it('takes a found record only when its URL answers with that record, not a portal’s page', async () => {
    let portal = true;
    const { device, stored } = await plainBehind((seen) => {
      if (!portal) return 'pass';
      if (seen.method === 'POST') return { status: 500 };
      return {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html>登录 Wi-Fi</html>',
      };
    });
    const records = gateRecords(2);
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('stopped');
    expect(await device.pending()).toBe(2);
    expect((await readSyncStatus(device.db)).lastProblem?.problem).toBe('server-error');
    portal = false;
    device.clock.now += 60_000;
    expect(await syncOnce(device.env)).toBe('done');
    expect(await stored()).toEqual(records.map((record) => record.id));
  });

  it('shows the endpoint’s own reason for a refused record', async () => {
    const { device } = await plainBehind((seen, index) =>
      seen.method === 'POST' && index === 0
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: '{"error":"checkpointId not registered"}',
          }
        : seen.method === 'POST' && index === 1
          ? { status: 422, body: 'volunteer name too long' }
          : 'pass',
    );
    const records = gateRecords(3);
    await device.add(records);
    expect(await syncOnce(device.env)).toBe('done');
    expect((await rejectedRecords(device.db)).map((row) => [row.record.id, row.error])).toEqual(
      expect.arrayContaining([
        [records[0]?.id, 'HTTP 400: checkpointId not registered'],
        [records[1]?.id, 'HTTP 422: volunteer name too long'],
      ]),
    );
  });
});
