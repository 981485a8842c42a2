import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReceiver, type ReceiverOptions } from '../../server/receiver';
import { type RecordResult, Store } from '../../server/store';
import type { KadianRecord } from '../../src/domain/records';

/** A reference receiver on 127.0.0.1 with its own SQLite file; stop() closes both and removes the file. */
export async function startReceiver(options: Partial<Omit<ReceiverOptions, 'store'>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-receiver-'));
  const store = new Store(join(dir, 'kadian.sqlite'));
  const server: Server = createServer(
    createReceiver({ store, corsOrigins: [], bodyLimitBytes: 1024 * 1024, ...options }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}/api/v1`;
  /** A request to the API with a bearer token, JSON by default. */
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${endpoint}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  return {
    store,
    server,
    origin: `http://127.0.0.1:${port}`,
    endpoint,
    api,
    /** Sends records as one batch of the first one's device, frozen at `frozenAt`: its results. */
    async upload(token: string, records: KadianRecord[], frozenAt: number) {
      const batchId = crypto.randomUUID();
      const response = await api('/batches', token, {
        method: 'POST',
        headers: { 'idempotency-key': batchId },
        body: JSON.stringify({ deviceId: records[0]?.deviceId, batchId, frozenAt, records }),
      });
      return ((await response.json()) as { results: RecordResult[] }).results;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
