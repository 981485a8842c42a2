// Third-party REST endpoints the adapters are tested against, run as real processes on 127.0.0.1
// (installed as devDependencies) and stopped by their PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function until(url: string, child: ChildProcess, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not come up within ${ms} ms`);
}

export interface Peer {
  origin: string;
  stop(): Promise<void>;
}

async function run(
  bin: string,
  args: string[],
  readyPath: string,
  cwd: string,
): Promise<Peer & { port: number }> {
  const port = await freePort();
  const child = spawn(
    resolve('node_modules/.bin', bin),
    [...args, '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd,
      stdio: 'ignore',
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  await until(`${origin}${readyPath}`, child);
  return {
    port,
    origin,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** pouchdb-server 4.2.0 in memory, with CORS for browser clients and a small document size limit. */
export async function startPouchdb(maxDocumentBytes = 64 * 1024): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-pouchdb-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      couchdb: { max_document_size: maxDocumentBytes },
      httpd: { enable_cors: true },
      cors: {
        origins: '*',
        credentials: true,
        methods: 'GET, PUT, POST, DELETE',
        headers: 'accept, authorization, content-type, origin',
      },
      log: { level: 'warning' },
    }),
  );
  return run('pouchdb-server', ['--in-memory', '-c', join(dir, 'config.json')], '/', dir);
}

/** json-server 0.17.4 with an empty `records` collection (a repeated id answers 500). */
export async function startJsonServer(): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-json-server-'));
  writeFileSync(join(dir, 'db.json'), JSON.stringify({ records: [] }));
  return run('json-server', ['--quiet', 'db.json'], '/records', dir);
}
