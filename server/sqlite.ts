// The embedded engine: one SQLite file (better-sqlite3, synchronous) behind the asynchronous
// interface. Its one connection runs one thing at a time: a transaction holds it until it commits,
// so statements of another request never land inside it.
import { EventEmitter } from 'node:events';
import BetterSqlite from 'better-sqlite3';
import { bound, type Database, type Sql, type Transaction } from './db';

export function openSqlite(file: string): Database {
  const db = new BetterSqlite(file);
  // WAL: readers (the roll-up) do not block the writer (batches); synchronous=FULL makes a commit
  // durable before the batch is acknowledged.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const statements = new Map<string, BetterSqlite.Statement>();
  const prepared = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const direct: Sql = {
    all: async <T>(text: string, params: readonly unknown[] = []) =>
      prepared(text).all(...bound(params)) as T[],
    get: async <T>(text: string, params: readonly unknown[] = []) =>
      prepared(text).get(...bound(params)) as T | undefined,
    run: async (text: string, params: readonly unknown[] = []) =>
      prepared(text).run(...bound(params)).changes,
  };

  // One at a time, in the order asked.
  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const done = tail.then(work);
    tail = done.catch(() => undefined);
    return done;
  }
  const commits = new EventEmitter().setMaxListeners(0);

  return {
    engine: 'sqlite',
    all: (text, params) => exclusive(() => direct.all(text, params)),
    get: (text, params) => exclusive(() => direct.get(text, params)),
    run: (text, params) => exclusive(() => direct.run(text, params)),
    exec: (script) => exclusive(async () => void db.exec(script)),
    transaction: (work) =>
      exclusive(async () => {
        const woken = new Set<string>();
        const tx: Transaction = {
          ...direct,
          // One writer at a time already: rows are added in commit order.
          lockFeeds: async () => {},
          notify: async (channel) => void woken.add(channel),
        };
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          for (const channel of woken) commits.emit(channel);
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    listen(channel, listener) {
      commits.on(channel, listener);
      return () => commits.off(channel, listener);
    },
    close: () => exclusive(async () => void db.close()),
  };
}
