// The receiver's SQLite file: records (idempotent on their id), batch keys with the results they
// were answered, revocations, and device/viewer tokens. Every batch is one transaction: a batch is
// acknowledged only after its records are committed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_ESCALATION, type Escalation } from '../src/domain/alerts';
import { withoutPersonalData } from '../src/domain/mask';
import type { Exit } from '../src/domain/quota-flags';
import type { AlertOutcome, KadianRecord } from '../src/domain/records';

export type AlertClosing = { name: string; outcome: AlertOutcome; note?: string };

import type { KnownCheckpoint } from '../src/domain/roll-up';
import type { Principal, Role } from './access';
import { AlertStore } from './alert-store';
import { AuditLog } from './audit-store';
import { FleetStore } from './fleet-store';
import { IsolationStore } from './isolation-store';

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';
export interface RecordResult {
  id: string;
  status: RecordStatus;
  error?: string;
}
/** A record of a batch after validation: either valid, or refused with a reason. */
export type Checked = { record: KadianRecord } | { id: string; error: string };

/** Whether a record is one the roll-up's open fevers are made of (the same rule in SQL below). */
function inFeverLane(record: KadianRecord): boolean {
  if (['fever-follow-up', 'void', 'fever-alert-closed'].includes(record.kind)) return true;
  return (
    record.kind === 'temperature' && (record.data.fever || record.data.remeasureOf !== undefined)
  );
}
const FEVER_LANE_SQL = `kind IN ('fever-follow-up', 'void', 'fever-alert-closed') OR (kind = 'temperature' AND
  (json_extract(body, '$.data.fever') = 1 OR json_extract(body, '$.data.remeasureOf') IS NOT NULL))`;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The store in the file KADIAN_DB names (data/kadian.sqlite by default), its folder made if need be. */
export function openStore(env: Record<string, string | undefined>): Store {
  const file = resolve(env.KADIAN_DB ?? 'data/kadian.sqlite');
  mkdirSync(dirname(file), { recursive: true });
  return new Store(
    file,
    escalationOf(env.KADIAN_ESCALATE_MINUTES),
    Number(env.KADIAN_PURGE_DAYS ?? 28),
  );
}

/** "2,5": minutes an alert waits untaken at the community, then the township, before it is raised. */
export function escalationOf(text: string | undefined): Escalation {
  if (text === undefined) return DEFAULT_ESCALATION;
  const [community, township] = text.split(',').map((part) => Number(part.trim()));
  const minutes = (n: number | undefined) => n !== undefined && Number.isFinite(n) && n > 0;
  if (!minutes(community) || !minutes(township))
    throw new Error('KADIAN_ESCALATE_MINUTES must be two numbers of minutes, such as "2,5"');
  return { community: community as number, township: township as number };
}

export class Store {
  private readonly db: Database.Database;
  readonly alerts: AlertStore;
  readonly fleet: FleetStore;
  readonly audit: AuditLog;
  readonly isolations: IsolationStore;

  constructor(
    readonly path: string,
    escalation: Escalation = DEFAULT_ESCALATION,
    retentionDays = 28,
  ) {
    this.db = new Database(path);
    // WAL: readers (the roll-up) do not block the writer (batches); synchronous=FULL makes a
    // commit durable before the batch is acknowledged.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        batch_id TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS records_checkpoint_time ON records (checkpoint_id, recorded_at);
      CREATE INDEX IF NOT EXISTS records_kind_time ON records (kind, recorded_at);
      CREATE TABLE IF NOT EXISTS batches (
        batch_key TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        device_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        results TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS revocations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        pass_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        revoked_at INTEGER NOT NULL
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
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS enrolments (
        code_hash TEXT PRIMARY KEY,
        checkpoint_id TEXT NOT NULL,
        made_by TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        used_by TEXT,
        token_hash TEXT
      );
    `);
    this.migrate();
    this.isolations = new IsolationStore(this.db);
    this.alerts = new AlertStore(this.db, escalation, this.isolations);
    this.fleet = new FleetStore(this.db);
    this.audit = new AuditLog(this.db, retentionDays);
  }

  /** Adds what later versions keep per record to a file made by an earlier one. */
  private migrate(): void {
    this.addColumns('records', ['purged INTEGER NOT NULL DEFAULT 0']);
    this.db.exec('CREATE INDEX IF NOT EXISTS records_unpurged ON records (purged, recorded_at)');
    // What the roll-up's open fevers are made of (fever readings, re-measurements, follow-ups,
    // voids), marked as they arrive so a roll-up reads those and not every temperature.
    if (this.addColumns('records', ['fever_lane INTEGER NOT NULL DEFAULT 0']))
      this.db.exec(`UPDATE records SET fever_lane = 1 WHERE ${FEVER_LANE_SQL}`);
    this.db.exec(
      'CREATE INDEX IF NOT EXISTS records_fever_lane ON records (fever_lane, recorded_at)',
    );
    // Tokens bound to a device and its checkpoint, or scoped to a place (a token made before has
    // neither: a device's binds to the first device that uses it).
    this.addColumns('tokens', ['device_id TEXT', 'checkpoint_id TEXT', 'scope TEXT']);
    // A revocation as the office signed it (KDR1), served to gates, which check the signature.
    this.addColumns('revocations', ['signed TEXT']);
  }

  /** Adds the columns a table lacks; true when it added any. */
  private addColumns(table: string, definitions: string[]): boolean {
    const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    const missing = definitions.filter(
      (definition) => !columns.some((column) => column.name === definition.split(' ')[0]),
    );
    for (const definition of missing) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${definition}`);
    return missing.length > 0;
  }

  /**
   * Masks the personal data of records made before `before` (ms) that still hold it: names, ID
   * and phone numbers (see withoutPersonalData). Resolves to how many were masked.
   */
  purgePersonalData(before: number): number {
    // A household still in isolation keeps its names and phone: its volunteers call it daily.
    const rows = this.db
      .prepare(
        `SELECT id, body FROM records WHERE purged = 0 AND recorded_at < ?
         AND id NOT IN (${this.isolations.openRecordsSql})`,
      )
      .all(before) as { id: string; body: string }[];
    const update = this.db.prepare('UPDATE records SET body = ?, purged = 1 WHERE id = ?');
    this.db.transaction(() => {
      for (const row of rows)
        update.run(
          JSON.stringify(withoutPersonalData(JSON.parse(row.body) as KadianRecord)),
          row.id,
        );
    })();
    return rows.length;
  }

  /** The results a batch key was answered with, and the hash of the body it came with. */
  answeredBatch(key: string): { bodyHash: string; results: RecordResult[] } | undefined {
    const row = this.db
      .prepare('SELECT body_hash, results FROM batches WHERE batch_key = ?')
      .get(key) as { body_hash: string; results: string } | undefined;
    return row && { bodyHash: row.body_hash, results: JSON.parse(row.results) };
  }

  /**
   * Stores a batch's valid records (a known id is a duplicate, not an error) and the key's answer,
   * all in one transaction, and returns one result per record sent.
   */
  commitBatch(
    key: string,
    body: string,
    deviceId: string,
    checked: Checked[],
    now: number,
  ): RecordResult[] {
    const remember = this.db.prepare(
      'INSERT INTO batches (batch_key, body_hash, device_id, received_at, results) VALUES (?, ?, ?, ?, ?)',
    );
    return this.db.transaction(() => {
      const results = this.commitRecords(checked, key, now);
      remember.run(key, sha256(body), deviceId, now, JSON.stringify(results));
      return results;
    })();
  }

  /** Inserts valid records (INSERT OR IGNORE: a known id is a duplicate); the caller holds the transaction. */
  private commitRecords(checked: Checked[], batchId: string, now: number): RecordResult[] {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO records (id, kind, checkpoint_id, device_id, recorded_at, received_at, batch_id, body, fever_lane)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const revoke = this.db.prepare(
      'INSERT INTO revocations (pass_id, reason, revoked_at, signed) VALUES (?, ?, ?, ?)',
    );
    const seen = this.db.prepare('INSERT OR IGNORE INTO checkpoints (id) VALUES (?)');
    // A checkpoint the registry file does not list learns its place from its daily reports.
    const placed = this.db.prepare(
      `UPDATE checkpoints SET county = ?, township = ?, community = ?, courtyard = ?
       WHERE id = ? AND from_file = 0`,
    );
    const kindOf = this.db.prepare('SELECT kind FROM records WHERE id = ?').pluck();
    return checked.map((item): RecordResult => {
      if (!('record' in item)) return { id: item.id, status: 'rejected', error: item.error };
      const { record } = item;
      // A correction is corrected by voiding the record again, never by voiding the void.
      if (record.kind === 'void' && kindOf.get(record.data.targetId) === 'void')
        return {
          id: record.id,
          status: 'rejected',
          error: 'data.targetId: a void cannot be voided',
        };
      const stored = insert.run(
        record.id,
        record.kind,
        record.checkpointId,
        record.deviceId,
        record.recordedAt,
        now,
        batchId,
        JSON.stringify(record),
        inFeverLane(record) ? 1 : 0,
      );
      if (stored.changes === 0) return { id: record.id, status: 'duplicate' };
      // Every checkpoint that sends anything joins the registry (its place comes from its reports).
      seen.run(record.checkpointId);
      if (record.kind === 'daily-report') {
        const { county, township, community, courtyard } = record.data.place;
        placed.run(county, township, community, courtyard, record.checkpointId);
      }
      this.isolations.recordStored(record);
      this.alerts.recordStored(record, now);
      if (record.kind === 'pass-revocation')
        revoke.run(record.data.passId, record.data.reason, now, record.data.signed ?? null);
      return { id: record.id, status: 'accepted' };
    });
  }

  /**
   * A person on duty takes an alert, or closes the one they took: the change and the record that
   * says so (made here, see docs/receiver.md) commit together. Why not, when refused.
   */
  actOnAlert(
    action: { take: { name: string; phone?: string } } | { close: AlertClosing },
    alertId: string,
    makeRecord: (checkpointId: string) => Checked,
    now: number,
    /** The token it came with, for the audit log. */
    by = 'open receiver',
  ): { record: KadianRecord } | { refused: string } {
    return this.db.transaction(() => {
      const checkpointId = this.alerts.checkpointOf(alertId);
      if (checkpointId === undefined) return { refused: 'no such alert' };
      const made = makeRecord(checkpointId);
      if (!('record' in made)) return { refused: made.error };
      const refused =
        'take' in action
          ? this.alerts.take(alertId, action.take, now)
          : this.alerts.close(alertId, action.close, now);
      if (refused) return { refused };
      this.commitRecords([made], `alert:${alertId}`, now);
      this.audit.record({
        at: now,
        actor: `${made.record.volunteer.name} (${by})`,
        action: 'take' in action ? 'alert-taken' : 'alert-closed',
        subject: alertId,
        ...('close' in action && { detail: action.close.outcome }),
      });
      return { record: made.record };
    })();
  }

  /** Stores the records of a device's export file, all in one transaction; known ids are duplicates. */
  importRecords(checked: Checked[], source: string, now: number): RecordResult[] {
    return this.db.transaction(() => this.commitRecords(checked, `import:${source}`, now))();
  }

  /** Stores one record sent on its own (the plain contract); a known id is a duplicate. */
  insertRecord(record: KadianRecord, now: number): 'accepted' | 'duplicate' {
    const [result] = this.db.transaction(() =>
      this.commitRecords([{ record }], `record:${record.id}`, now),
    )();
    return result?.status === 'duplicate' ? 'duplicate' : 'accepted';
  }

  /** A stored record's body, as it was received. */
  findRecord(id: string): string | undefined {
    return (
      this.db.prepare('SELECT body FROM records WHERE id = ?').get(id) as
        | { body: string }
        | undefined
    )?.body;
  }

  revocationsSince(cursor: number, limit: number) {
    const rows = this.db
      .prepare(
        'SELECT seq, pass_id, reason, revoked_at, signed FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(cursor, limit) as {
      seq: number;
      pass_id: string;
      reason: string;
      revoked_at: number;
      signed: string | null;
    }[];
    return {
      revocations: rows.map((row) => ({
        passId: row.pass_id,
        reason: row.reason,
        revokedAt: row.revoked_at,
        ...(row.signed && { signed: row.signed }),
      })),
      next: rows.at(-1)?.seq ?? cursor,
    };
  }

  /** Exits allowed at any gate between two moments (ms, inclusive), leaving out voided scans. */
  allowedExits(from: number, to: number): Exit[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM records
         WHERE kind = 'pass-scan' AND recorded_at BETWEEN ? AND ?
           AND json_extract(body, '$.data.verdict') = 'allowed'
           AND json_extract(body, '$.data.direction') = 'out'
           AND id NOT IN (SELECT json_extract(body, '$.data.targetId') FROM records WHERE kind = 'void')`,
      )
      .all(from, to) as { body: string }[];
    return rows.flatMap(({ body }) => {
      const record = JSON.parse(body) as Extract<KadianRecord, { kind: 'pass-scan' }>;
      const { passId, householdId } = record.data;
      if (!passId || !householdId) return [];
      return [
        {
          recordId: record.id,
          passId,
          householdId,
          deviceId: record.deviceId,
          checkpointId: record.checkpointId,
          at: record.recordedAt,
        },
      ];
    });
  }

  /** Registers checkpoints from the registry file: their names and places win over the reports'. */
  registerCheckpoints(checkpoints: KnownCheckpoint[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO checkpoints (id, name, county, township, community, courtyard, from_file)
       VALUES (@id, @name, @county, @township, @community, @courtyard, 1)
       ON CONFLICT (id) DO UPDATE SET name = @name, county = @county, township = @township,
         community = @community, courtyard = @courtyard, from_file = 1`,
    );
    this.db.transaction(() => {
      for (const checkpoint of checkpoints)
        upsert.run({
          name: null,
          county: null,
          township: null,
          community: null,
          courtyard: null,
          ...checkpoint,
        });
    })();
  }

  knownCheckpoints(): KnownCheckpoint[] {
    const rows = this.db
      .prepare('SELECT id, name, county, township, community, courtyard FROM checkpoints')
      .all() as Record<keyof KnownCheckpoint, string | null>[];
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)),
    ) as unknown as KnownCheckpoint[];
  }

  /**
   * The records open fevers are made of (fever readings and their re-measurements, follow-ups,
   * voids) made between two moments (ms, inclusive): a few hundred where the temperatures are
   * a hundred thousand.
   */
  feverLane(from: number, to: number): KadianRecord[] {
    const rows = this.db
      .prepare(
        'SELECT body FROM records WHERE fever_lane = 1 AND recorded_at BETWEEN ? AND ? ORDER BY recorded_at',
      )
      .all(from, to) as { body: string }[];
    return rows.map(({ body }) => JSON.parse(body) as KadianRecord);
  }

  /** Records of some kinds made between two moments (ms, inclusive), voids left for the caller. */
  recordsOfKinds(kinds: KadianRecord['kind'][], from: number, to: number): KadianRecord[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM records WHERE kind IN (${kinds.map(() => '?').join(', ')})
         AND recorded_at BETWEEN ? AND ? ORDER BY recorded_at`,
      )
      .all(...kinds, from, to) as { body: string }[];
    return rows.map(({ body }) => JSON.parse(body) as KadianRecord);
  }

  /** Which of these records a void points at. */
  voidedAmong(ids: string[]): Set<string> {
    if (ids.length === 0) return new Set();
    const rows = this.db
      .prepare(
        `SELECT json_extract(body, '$.data.targetId') AS target FROM records
         WHERE kind = 'void' AND target IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { target: string }[];
    return new Set(rows.map((row) => row.target));
  }

  recordCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  }

  recordIds(): string[] {
    return (this.db.prepare('SELECT id FROM records ORDER BY id').all() as { id: string }[]).map(
      (row) => row.id,
    );
  }

  /**
   * Makes a token and keeps only its hash; the token itself is shown once. A device's may be
   * bound to its device and checkpoint now (enrolment) or by its first upload.
   */
  createToken(
    label: string,
    role: Role,
    now: number,
    bound: { deviceId?: string; checkpointId?: string; scope?: string } = {},
    by = 'command line',
  ): string {
    const token = randomBytes(24).toString('base64url');
    this.audit.record({
      at: now,
      actor: by,
      action: 'token-created',
      subject: label,
      detail: [role, bound.scope, bound.checkpointId].filter(Boolean).join(' '),
    });
    this.db
      .prepare(
        `INSERT INTO tokens (token_hash, label, role, created_at, device_id, checkpoint_id, scope)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        sha256(token),
        label,
        role,
        now,
        bound.deviceId ?? null,
        bound.checkpointId ?? null,
        bound.scope ?? null,
      );
    return token;
  }

  /** Binds a device token that has no device yet (one made before binding existed) to its first user. */
  bindToken(token: string, deviceId: string, checkpointId: string | undefined): void {
    this.db
      .prepare(
        `UPDATE tokens SET device_id = ?, checkpoint_id = coalesce(checkpoint_id, ?)
         WHERE token_hash = ? AND role = 'device' AND device_id IS NULL`,
      )
      .run(deviceId, checkpointId ?? null, sha256(token));
  }

  /** A one-time enrolment code for a checkpoint, valid until `expiresAt`; only its hash is kept. */
  createEnrolment(
    checkpointId: string,
    madeBy: string,
    expiresAt: number,
    now = Date.now(),
  ): string {
    const code = randomBytes(18).toString('base64url');
    this.audit.record({ at: now, actor: madeBy, action: 'enrolment-made', subject: checkpointId });
    this.db
      .prepare(
        'INSERT INTO enrolments (code_hash, checkpoint_id, made_by, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(sha256(code), checkpointId, madeBy, expiresAt);
    return code;
  }

  /**
   * Trades an enrolment code for a device token bound to the device and the code's checkpoint.
   * A code serves one device: the same device asking again (its first answer lost on the way) gets
   * a new token and the one before is revoked; any other device gets undefined, as for a code
   * unknown or expired.
   */
  claimEnrolment(
    code: string,
    deviceId: string,
    now: number,
  ): { token: string; checkpointId: string } | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare(
          'SELECT checkpoint_id, used_by, token_hash FROM enrolments WHERE code_hash = ? AND expires_at >= ?',
        )
        .get(sha256(code), now) as
        | { checkpoint_id: string; used_by: string | null; token_hash: string | null }
        | undefined;
      if (!row || (row.used_by !== null && row.used_by !== deviceId)) return undefined;
      if (row.token_hash) {
        this.db
          .prepare('UPDATE tokens SET revoked_at = ? WHERE token_hash = ?')
          .run(now, row.token_hash);
        this.audit.record({
          at: now,
          actor: 'enrolment code',
          action: 'token-revoked',
          subject: deviceId,
          detail: 'claimed again by the same device',
        });
      }
      const checkpointId = row.checkpoint_id;
      const token = this.createToken(
        deviceId,
        'device',
        now,
        { deviceId, checkpointId },
        'enrolment code',
      );
      this.db
        .prepare(
          'UPDATE enrolments SET used_at = ?, used_by = ?, token_hash = ? WHERE code_hash = ?',
        )
        .run(now, deviceId, sha256(token), sha256(code));
      return { token, checkpointId };
    })();
  }

  revokeTokens(label: string, now: number, by = 'command line'): number {
    const revoked = this.db
      .prepare('UPDATE tokens SET revoked_at = ? WHERE label = ? AND revoked_at IS NULL')
      .run(now, label).changes;
    if (revoked > 0)
      this.audit.record({ at: now, actor: by, action: 'token-revoked', subject: label });
    return revoked;
  }

  listTokens() {
    return this.db
      .prepare(
        'SELECT label, role, created_at, revoked_at, device_id, checkpoint_id, scope FROM tokens ORDER BY created_at',
      )
      .all() as {
      label: string;
      role: Role;
      created_at: number;
      revoked_at: number | null;
      device_id: string | null;
      checkpoint_id: string | null;
      scope: string | null;
    }[];
  }

  /** True while no token was ever made: the receiver then runs open (and says so at start). */
  isOpen(): boolean {
    return (this.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n === 0;
  }

  /** Who holds a live token, or undefined for an unknown or revoked one. */
  principal(token: string): Principal | undefined {
    const row = this.db
      .prepare(
        'SELECT role, label, device_id, checkpoint_id, scope FROM tokens WHERE token_hash = ? AND revoked_at IS NULL',
      )
      .get(sha256(token)) as
      | {
          role: Role;
          label: string;
          device_id: string | null;
          checkpoint_id: string | null;
          scope: string | null;
        }
      | undefined;
    if (!row) return undefined;
    return {
      role: row.role,
      label: row.label,
      ...(row.device_id !== null && { deviceId: row.device_id }),
      ...(row.checkpoint_id !== null && { checkpointId: row.checkpoint_id }),
      ...(row.scope !== null && { scope: row.scope }),
    };
  }

  close(): void {
    this.db.close();
  }
}

export { sha256 };
