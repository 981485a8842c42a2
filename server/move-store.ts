// Moves what one receiver's SQLite file holds into another's database (a county's into the
// province's PostgreSQL): tokens, enrolment codes, the registry, devices, roster, configurations,
// batch answers and audit entries copied as they are; records stored again in the order they
// arrived, so everything filed at arrival (alerts, isolations, revocations, figures) is filed the
// same way. Idempotent: what is there already is left, so a move stopped half-way is run again.
import type { KadianRecord } from '../src/domain/records';
import { type Database, insertRows } from './db';
import { FEEDS, raiseSequence } from './schema';
import type { Store } from './store';

type Row = Record<string, unknown>;

/** Tables copied as they are, with the columns that name a row. */
const KEYED: [table: string, key: string[]][] = [
  ['checkpoints', ['id']],
  ['tokens', ['token_hash']],
  ['enrolments', ['code_hash']],
  ['devices', ['device_id']],
  ['stopped_devices', ['device_id']],
  ['configs', ['kid', 'at']],
  ['batches', ['batch_key']],
];
/** Tables whose rows have no name but their content (their own numbers are the database's). */
const UNKEYED: [table: string, columns: string[]][] = [
  ['roster', ['place', 'name', 'phone', 'from_at', 'to_at', 'added_by']],
  ['audit', ['at', 'actor', 'action', 'subject', 'detail']],
];

const PAGE = 1000;

export interface Moved {
  records: number;
  duplicates: number;
  /** Rows copied per table (those already there are not counted). */
  copied: Record<string, number>;
}

export async function moveStore(
  source: Store,
  target: Store,
  log: (line: string) => void = () => {},
): Promise<Moved> {
  const copied: Record<string, number> = {};
  for (const [table, key] of KEYED) {
    const before = await countOf(target.db, table);
    for (let offset = 0; ; offset += PAGE) {
      const rows = await source.db.all<Row>(
        `SELECT * FROM ${table} ORDER BY ${key.join(', ')} LIMIT ? OFFSET ?`,
        [PAGE, offset],
      );
      await copy(target.db, table, rows, `ON CONFLICT (${key.join(', ')}) DO NOTHING`);
      if (rows.length < PAGE) break;
    }
    copied[table] = (await countOf(target.db, table)) - before;
  }
  for (const [table, columns] of UNKEYED) {
    const list = columns.join(', ');
    const identity = (row: Row) => JSON.stringify(columns.map((column) => row[column] ?? null));
    const there = new Set((await target.db.all<Row>(`SELECT ${list} FROM ${table}`)).map(identity));
    const rows = (await source.db.all<Row>(`SELECT ${list} FROM ${table}`)).filter(
      (row) => !there.has(identity(row)),
    );
    await copy(target.db, table, rows);
    copied[table] = rows.length;
  }
  // Devices and pages read the feeds by cursor: what is filed here from now on is numbered past
  // anything a cursor of the source could point at, so none is skipped.
  for (const feed of FEEDS) {
    const max = (await source.db.get<{ n: number | null }>(`SELECT max(seq) AS n FROM ${feed}`))?.n;
    await raiseSequence(target.db, feed, max ?? 0);
  }

  let records = 0;
  let duplicates = 0;
  let after = 0;
  for (;;) {
    // In the order the source stored them (a SQLite file's row numbers).
    const rows = await source.db.all<{
      n: number;
      body: string;
      batch_id: string;
      received_at: number;
    }>(
      'SELECT rowid AS n, body, batch_id, received_at FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?',
      [after, PAGE],
    );
    // Stored again batch by batch: records received together, at the moment they were.
    let group: typeof rows = [];
    const flush = async () => {
      const [head] = group;
      if (!head) return;
      const results = await target.storeMoved(
        group.map((row) => JSON.parse(row.body) as KadianRecord),
        head.batch_id,
        head.received_at,
      );
      records += results.filter((result) => result.status === 'accepted').length;
      duplicates += results.filter((result) => result.status === 'duplicate').length;
      group = [];
    };
    for (const row of rows) {
      const head = group[0];
      if (head && (head.batch_id !== row.batch_id || head.received_at !== row.received_at))
        await flush();
      group.push(row);
    }
    await flush();
    const last = rows.at(-1);
    if (!last) break;
    after = last.n;
    log(`${(records + duplicates).toLocaleString('en')} records looked at`);
  }
  return { records, duplicates, copied };
}

/** Rows read from the source, inserted with the columns they came with. */
async function copy(target: Database, table: string, rows: Row[], tail = '') {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  await insertRows(
    target,
    `${table} (${columns.join(', ')})`,
    rows.map((row) => columns.map((column) => row[column])),
    tail,
  );
}

async function countOf(db: Database, table: string): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
}
