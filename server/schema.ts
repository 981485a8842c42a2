// The receiver's tables, the same on both engines but for an autoincrementing key and the audit
// log's guard; and, for a SQLite file an earlier version made, the columns it lacks.
import type { Database } from './db';

const DAY_MS = 24 * 60 * 60 * 1000;

const tables = (serial: string) => `
  CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    checkpoint_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    batch_id TEXT NOT NULL,
    body TEXT NOT NULL,
    purged INTEGER NOT NULL DEFAULT 0,
    fever_lane INTEGER NOT NULL DEFAULT 0,
    ref TEXT
  );
  CREATE INDEX IF NOT EXISTS records_kind_time ON records (kind, recorded_at);
  CREATE TABLE IF NOT EXISTS batches (
    batch_key TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    device_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    results TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS revocations (
    seq ${serial},
    pass_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at BIGINT NOT NULL,
    signed TEXT
  );
  CREATE TABLE IF NOT EXISTS checkpoints (
    id TEXT PRIMARY KEY,
    name TEXT,
    county TEXT,
    township TEXT,
    community TEXT,
    courtyard TEXT,
    from_file INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    device_id TEXT,
    checkpoint_id TEXT,
    scope TEXT
  );
  CREATE TABLE IF NOT EXISTS enrolments (
    code_hash TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    made_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by TEXT,
    token_hash TEXT
  );
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    measured_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    celsius DOUBLE PRECISION NOT NULL,
    subject TEXT NOT NULL,
    taken_by TEXT,
    taken_phone TEXT,
    taken_at BIGINT,
    closed_by TEXT,
    closed_at BIGINT,
    outcome TEXT,
    note TEXT,
    voided INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS alerts_checkpoint ON alerts (checkpoint_id, received_at);
  CREATE INDEX IF NOT EXISTS alerts_received ON alerts (received_at);
  CREATE TABLE IF NOT EXISTS alert_events (
    seq ${serial},
    alert_id TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS isolation_feed (
    seq ${serial},
    record_id TEXT NOT NULL UNIQUE,
    isolation_id TEXT NOT NULL,
    checkpoint_id TEXT NOT NULL,
    kind TEXT,
    recorded_at BIGINT,
    symptomatic INTEGER
  );
  CREATE INDEX IF NOT EXISTS isolation_feed_checkpoint ON isolation_feed (checkpoint_id, seq);
  CREATE INDEX IF NOT EXISTS isolation_feed_isolation ON isolation_feed (isolation_id);
  CREATE TABLE IF NOT EXISTS isolation_spans (
    isolation_id TEXT PRIMARY KEY,
    first_day TEXT,
    end_day TEXT
  );
  CREATE TABLE IF NOT EXISTS report_days (
    record_id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    checkpoint_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    figures TEXT NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS report_days_date ON report_days (date);
  CREATE TABLE IF NOT EXISTS exits (
    record_id TEXT PRIMARY KEY,
    pass_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    checkpoint_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0,
    in_window INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS exits_household ON exits (household_id, at);
  CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    last_contact BIGINT NOT NULL,
    app_version TEXT NOT NULL,
    pending INTEGER NOT NULL,
    clock_skew_ms BIGINT,
    config_at BIGINT
  );
  CREATE TABLE IF NOT EXISTS stopped_devices (
    device_id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    by TEXT NOT NULL,
    lost INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS roster (
    id ${serial},
    place TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    from_at BIGINT NOT NULL,
    to_at BIGINT NOT NULL,
    added_by TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS roster_place ON roster (place, to_at);
  CREATE TABLE IF NOT EXISTS configs (
    kid TEXT NOT NULL,
    at BIGINT NOT NULL,
    code TEXT NOT NULL,
    published_by TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (kid, at)
  );
  CREATE TABLE IF NOT EXISTS audit (
    seq ${serial},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT
  );
`;

/**
 * Indexes on columns a file made by an earlier version gets from the migration. Each holds only
 * the records it finds: those not yet purged (so the purge reads only what it masks), the fever
 * lane, the records that point at another.
 */
const LATER_INDEXES = `
  DROP INDEX IF EXISTS records_checkpoint_time;
  DROP INDEX IF EXISTS records_unpurged;
  DROP INDEX IF EXISTS records_fever_lane;
  CREATE INDEX IF NOT EXISTS records_to_purge ON records (recorded_at) WHERE purged = 0;
  CREATE INDEX IF NOT EXISTS records_fever ON records (recorded_at) WHERE fever_lane = 1;
  CREATE INDEX IF NOT EXISTS records_ref ON records (ref) WHERE ref IS NOT NULL;
  DROP INDEX IF EXISTS exits_at;
  CREATE INDEX IF NOT EXISTS exits_window ON exits (at, in_window);
`;

/** Columns added since the first PostgreSQL schema, for a database an earlier version made. */
const POSTGRES_LATER_COLUMNS = `
  ALTER TABLE exits ADD COLUMN IF NOT EXISTS in_window INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE isolation_feed ADD COLUMN IF NOT EXISTS kind TEXT;
  ALTER TABLE isolation_feed ADD COLUMN IF NOT EXISTS recorded_at BIGINT;
  ALTER TABLE isolation_feed ADD COLUMN IF NOT EXISTS symptomatic INTEGER;
`;

/** The audit log is only ever added to: the database refuses an edit, and a young row's removal. */
function auditGuard(engine: Database['engine'], retentionDays: number): string {
  const retentionMs = Math.floor(retentionDays) * DAY_MS;
  const kept = 'the audit log is never edited';
  const young = 'the audit log keeps its rows for the retention period';
  if (engine === 'sqlite')
    return `
      CREATE TRIGGER IF NOT EXISTS audit_kept BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, '${kept}'); END;
      DROP TRIGGER IF EXISTS audit_young;
      CREATE TRIGGER audit_young BEFORE DELETE ON audit
        WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - ${retentionMs}
        BEGIN SELECT RAISE(ABORT, '${young}'); END;`;
  return `
    CREATE OR REPLACE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION '${kept}'; END IF;
      IF OLD.at > floor(extract(epoch FROM now()) * 1000) - ${retentionMs} THEN
        RAISE EXCEPTION '${young}';
      END IF;
      RETURN OLD;
    END $$;
    DROP TRIGGER IF EXISTS audit_guard ON audit;
    CREATE TRIGGER audit_guard BEFORE UPDATE OR DELETE ON audit
      FOR EACH ROW EXECUTE FUNCTION audit_guard();`;
}

/**
 * Makes the tables a database lacks (several receivers starting at once make them once). True
 * when the tables of figures kept at arrival are new beside older records: they are to be filed.
 */
export async function createSchema(db: Database, retentionDays: number): Promise<boolean> {
  if (db.engine === 'postgres') {
    await db.exec(
      tables('BIGSERIAL PRIMARY KEY') +
        POSTGRES_LATER_COLUMNS +
        LATER_INDEXES +
        auditGuard('postgres', retentionDays),
    );
    return false;
  }
  const hadRecords =
    (await db.get(`SELECT 1 FROM sqlite_master WHERE name = 'records'`)) !== undefined;
  const hadFigures =
    (await db.get(`SELECT 1 FROM sqlite_master WHERE name = 'report_days'`)) !== undefined;
  await db.exec(tables('INTEGER PRIMARY KEY AUTOINCREMENT'));
  await migrateSqlite(db);
  await db.exec(LATER_INDEXES + auditGuard('sqlite', retentionDays));
  return hadRecords && !hadFigures;
}

/** The record kinds whose `ref` is another record's id, and the field that holds it. */
const REF_SQL = `CASE kind
  WHEN 'void' THEN json_extract(body, '$.data.targetId')
  WHEN 'fever-follow-up' THEN json_extract(body, '$.data.temperatureId')
  WHEN 'temperature' THEN json_extract(body, '$.data.remeasureOf') END`;

/** What the roll-up's open fevers are made of (see inFeverLane in store.ts). */
const FEVER_LANE_SQL = `kind IN ('fever-follow-up', 'void', 'fever-alert-closed') OR (kind = 'temperature' AND
  (json_extract(body, '$.data.fever') = 1 OR json_extract(body, '$.data.remeasureOf') IS NOT NULL))`;

/** Adds what later versions keep to a file made by an earlier one, filled from the records. */
async function migrateSqlite(db: Database): Promise<void> {
  async function addColumns(table: string, definitions: string[]): Promise<boolean> {
    const columns = await db.all<{ name: string }>(`PRAGMA table_info(${table})`);
    const missing = definitions.filter(
      (definition) => !columns.some((column) => column.name === definition.split(' ')[0]),
    );
    for (const definition of missing)
      await db.exec(`ALTER TABLE ${table} ADD COLUMN ${definition}`);
    return missing.length > 0;
  }
  await addColumns('records', ['purged INTEGER NOT NULL DEFAULT 0']);
  if (await addColumns('records', ['fever_lane INTEGER NOT NULL DEFAULT 0']))
    await db.exec(`UPDATE records SET fever_lane = 1 WHERE ${FEVER_LANE_SQL}`);
  if (await addColumns('records', ['ref TEXT']))
    await db.exec(
      `UPDATE records SET ref = ${REF_SQL} WHERE kind IN ('void', 'fever-follow-up', 'temperature')`,
    );
  await addColumns('tokens', ['device_id TEXT', 'checkpoint_id TEXT', 'scope TEXT']);
  await addColumns('revocations', ['signed TEXT']);
  await addColumns('exits', ['in_window INTEGER NOT NULL DEFAULT 0']);
  await addColumns('isolation_feed', ['kind TEXT', 'recorded_at BIGINT', 'symptomatic INTEGER']);
}

/** The tables whose rows devices and pages read by cursor (their `seq`). */
export const FEEDS = ['revocations', 'alert_events', 'isolation_feed'] as const;

/** Makes a feed's next `seq` greater than `atLeast` (and than any it holds). */
export async function raiseSequence(
  db: Database,
  table: (typeof FEEDS)[number],
  atLeast: number,
): Promise<void> {
  if (db.engine === 'postgres') {
    await db.get(
      `SELECT setval(pg_get_serial_sequence('${table}', 'seq'),
         GREATEST(CAST(? AS BIGINT), (SELECT coalesce(max(seq), 0) FROM ${table}), 1))`,
      [atLeast],
    );
    return;
  }
  await db.run(`UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, [atLeast, table]);
  await db.run(
    `INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS
       (SELECT 1 FROM sqlite_sequence WHERE name = ?)`,
    [table, atLeast, table],
  );
}

/**
 * SQL that `column` (a checkpoint's id) names a checkpoint under `place` (a county, township or
 * community, or the checkpoint itself); with no place, any.
 */
export function underPlace(
  column: string,
  place: string | undefined,
): { sql: string; params: string[] } {
  if (place === undefined) return { sql: '1 = 1', params: [] };
  return {
    sql: `${column} IN (SELECT id FROM checkpoints WHERE county = ? OR township = ? OR community = ? OR id = ?)`,
    params: [place, place, place, place],
  };
}
