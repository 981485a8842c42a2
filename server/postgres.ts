// The server engine: a PostgreSQL database (through `pg`) behind the same interface, shared by
// any number of receivers. Idempotency and "acknowledged only after commit" come from its
// constraints and transactions; commits are announced to every receiver with NOTIFY.
import pg from 'pg';
import { bound, type Database, type Sql, type Transaction } from './db';

/** 64-bit integers (milliseconds, counts, sequence numbers) and sums read as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders as PostgreSQL numbers them. No statement here has a `?` of its own. */
const numbered = new Map<string, string>();
function postgresText(text: string): string {
  let result = numbered.get(text);
  if (result === undefined) {
    let n = 0;
    result = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, result);
  }
  return result;
}

function sqlOf(client: pg.Pool | pg.PoolClient): Sql {
  const query = (text: string, params: readonly unknown[] = []) =>
    client.query(postgresText(text), bound(params));
  return {
    all: async <T>(text: string, params?: readonly unknown[]) =>
      (await query(text, params)).rows as T[],
    get: async <T>(text: string, params?: readonly unknown[]) =>
      (await query(text, params)).rows[0] as T | undefined,
    run: async (text, params) => (await query(text, params)).rowCount ?? 0,
  };
}

/** Deadlock and serialization failure: the transaction lost a race and may be run again. */
const RETRIED = new Set(['40P01', '40001']);
const ATTEMPTS = 5;
/** Any feed's rows: one lock, so two transactions never wait on each other's feeds. */
const FEEDS_LOCK = 4_224_201;
/** Making the tables. */
const SCHEMA_LOCK = 4_224_202;

export function openPostgres(url: string): Database {
  // No JIT and no parallel workers: the receiver's queries are short, and compiling them cost more
  // than it saved (44 ms of a 270 ms roll-up read at ten counties), as did the workers' start
  // (a ten counties' roll-up 211 → 186 ms, and the other cores stay free for uploads).
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: 10,
    options: '-c jit=off -c max_parallel_workers_per_gather=0',
  });
  // A connection that breaks while idle is dropped by the pool; the next query opens another.
  pool.on('error', () => {});
  const shared = sqlOf(pool);
  const listeners = new Map<string, Set<() => void>>();
  let listening: pg.Client | undefined;
  let closed = false;

  /** One connection LISTENs for every channel asked; it reconnects when it breaks. */
  async function connectListener() {
    if (closed || listening) return;
    const client = new pg.Client({ connectionString: url, types });
    listening = client;
    const again = () => {
      if (listening !== client) return;
      listening = undefined;
      client.end().catch(() => {});
      if (!closed) setTimeout(() => void connectListener(), 1000).unref();
    };
    client.on('error', again);
    client.on('end', again);
    client.on('notification', ({ channel }) => {
      for (const listener of listeners.get(channel) ?? []) listener();
    });
    try {
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${channel}`);
    } catch {
      again();
    }
  }

  return {
    engine: 'postgres',
    ...shared,
    async exec(script) {
      // One transaction (a script sent at once is one), after any other receiver's: receivers
      // starting together on an empty database make its tables once.
      await pool.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK}); ${script}`);
    },
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          const tx: Transaction = {
            ...sqlOf(client),
            lockFeeds: async () =>
              void (await client.query('SELECT pg_advisory_xact_lock($1)', [FEEDS_LOCK])),
            notify: async (channel) =>
              void (await client.query('SELECT pg_notify($1, $2)', [channel, ''])),
          };
          const result = await work(tx);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          const code = (error as { code?: string }).code;
          if (!broken && attempt < ATTEMPTS && code && RETRIED.has(code)) continue;
          throw error;
        } finally {
          client.release(broken);
        }
      }
    },
    listen(channel, listener) {
      if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
      const set = listeners.get(channel) ?? new Set();
      const first = set.size === 0 && !listeners.has(channel);
      set.add(listener);
      listeners.set(channel, set);
      if (listening && first) listening.query(`LISTEN ${channel}`).catch(() => {});
      else void connectListener();
      return () => set.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      const client = listening;
      listening = undefined;
      await client?.end().catch(() => {});
      await pool.end();
    },
  };
}
