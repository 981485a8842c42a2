import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createReceiver, type ReceiverOptions } from '../../server/receiver';
import { openStore, type RecordResult, type Store } from '../../server/store';
import type { KadianRecord } from '../../src/domain/records';
import { createDatabase, dropDatabase } from '../postgres-cluster';

/** The engine this run's receivers use: the PostgreSQL project sets KADIAN_TEST_ENGINE. */
export const ENGINE = process.env.KADIAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A store of its own on this run's engine (a SQLite file in a temporary folder, or a new database
 * on the run's PostgreSQL cluster), with the settings given; remove() closes it and deletes it.
 */
export async function openTestStore(
  env: Record<string, string | undefined> = {},
): Promise<{ store: Store; settings: Record<string, string>; remove(): Promise<void> }> {
  if (ENGINE === 'postgres') {
    const admin = inject('postgresUrl');
    const url = await createDatabase(admin);
    const store = await openStore({ ...env, KADIAN_DATABASE_URL: url });
    return {
      store,
      settings: { KADIAN_DATABASE_URL: url },
      async remove() {
        await store.close();
        await dropDatabase(admin, url);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kadian-receiver-'));
  const file = join(dir, 'kadian.sqlite');
  const store = await openStore({ ...env, KADIAN_DB: file });
  return {
    store,
    settings: { KADIAN_DB: file },
    async remove() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A reference receiver on 127.0.0.1 with a store of its own; stop() closes both and deletes the store. */
export async function startReceiver(
  options: Partial<Omit<ReceiverOptions, 'store'>> = {},
  env: Record<string, string | undefined> = {},
) {
  const { store, remove } = await openTestStore(env);
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
      await remove();
    },
  };
}
