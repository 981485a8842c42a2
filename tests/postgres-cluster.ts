// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a folder (as the `postgres`
// user when run as root, since initdb refuses root), started on a free port of 127.0.0.1 with its
// socket in that folder, stopped (and the folder removed, unless kept) afterwards.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** The newest installed PostgreSQL's programs (Debian keeps them out of PATH). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined)
    throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const asRoot = process.getuid?.() === 0;
const pgUser = () => Number(execFileSync('id', ['-u', 'postgres']).toString().trim());

/** Runs one of PostgreSQL's programs, as `postgres` when we are root. */
function run(program: string, args: string[]) {
  const path = join(binDir(), program);
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
    : [path, args];
  execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Cluster {
  /** postgres://…/postgres: the maintenance database, from which each test makes its own. */
  url: string;
  port: number;
  /** Makes an empty database, and returns its address. */
  createDatabase(name?: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  stop(): Promise<void>;
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Makes an empty database on the cluster of `adminUrl` (its maintenance database): its address. */
export async function createDatabase(
  adminUrl: string,
  name = `kadian_${crypto.randomUUID().replaceAll('-', '')}`,
): Promise<string> {
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

export async function dropDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await asAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export interface ClusterOptions {
  /** Keep the cluster in this folder (made once, reused); otherwise a temporary one, removed. */
  dir?: string;
  /** Durable like a server (fsync on), for benchmarks; tests run without it. */
  durable?: boolean;
  /** More settings, `name=value`. */
  settings?: string[];
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'kadian-pg-')));
  mkdirSync(dir, { recursive: true });
  if (asRoot) chownSync(dir, pgUser(), pgUser());
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION')))
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dir}`,
    'max_connections=200',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ...(options.settings ?? []),
  ];
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    settings.map((setting) => `-c ${setting}`).join(' '),
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    createDatabase: (name) => createDatabase(url, name),
    dropDatabase: (databaseUrl) => dropDatabase(url, databaseUrl),
    async stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
