import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReceiver, type ReceiverOptions } from '../../server/receiver';
import { Store } from '../../server/store';

/** A reference receiver on 127.0.0.1 with its own SQLite file; stop() closes both and removes the file. */
export async function startReceiver(options: Partial<Omit<ReceiverOptions, 'store'>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-receiver-'));
  const store = new Store(join(dir, 'kadian.sqlite'));
  const server: Server = createServer(
    createReceiver({ store, corsOrigins: [], bodyLimitBytes: 1024 * 1024, ...options }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    store,
    server,
    origin: `http://127.0.0.1:${port}`,
    endpoint: `http://127.0.0.1:${port}/api/v1`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
