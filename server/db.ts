// One storage interface, two engines: the receiver's stores speak SQL through this — `?` for each
// parameter, and only what SQLite and PostgreSQL both understand — and sqlite.ts or postgres.ts
// carries it out. Which one is chosen by the settings (see openDatabase).

export interface Sql {
  /** Every row a query answers. */
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row a query answers, if any. */
  get<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement: how many rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

/** A transaction's own statements, and what commits with them. */
export interface Transaction extends Sql {
  /**
   * Makes the rows this transaction adds to a feed (alert events, home isolations, revocations)
   * follow those of transactions that committed before it, so a reader's cursor never passes a
   * row that commits later. Called before adding to a feed; held until commit.
   */
  lockFeeds(): Promise<void>;
  /** Tells the listeners of `channel` (in every receiver on the database) once this commits. */
  notify(channel: string): Promise<void>;
}

export interface Database extends Sql {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Runs `work` in one transaction: all of it commits, or none. A transaction that lost a race with
   * another (a deadlock, a serialization failure) is run again, so `work` may run more than once.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs a script of statements without parameters (the schema). */
  exec(script: string): Promise<void>;
  /** Calls `listener` after every commit that notified `channel`; returns how to stop. */
  listen(channel: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Undefined is not a value either engine stores: it is NULL. */
export const bound = (params: readonly unknown[]) =>
  params.map((value) => (value === undefined ? null : value));

/** `?, ?, …`: one placeholder for each value. */
export const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * Inserts rows of values (in the order of the columns `into` names) a couple of hundred per
 * statement, `tail` after each (an ON CONFLICT clause).
 */
export async function insertRows(sql: Sql, into: string, rows: readonly unknown[][], tail = '') {
  for (let start = 0; start < rows.length; start += 200) {
    const some = rows.slice(start, start + 200);
    await sql.run(
      `INSERT INTO ${into} VALUES ${some.map((row) => `(${marks(row)})`).join(', ')} ${tail}`,
      some.flat(),
    );
  }
}
