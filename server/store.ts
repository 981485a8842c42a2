// The receiver's records (idempotent on their id), batch keys with the results they were answered,
// revocations, the checkpoints' registry, and device/viewer tokens, on either engine (db.ts). Every
// batch is one transaction: a batch is acknowledged only after its records are committed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_ESCALATION, type Escalation } from '../src/domain/alerts';
import { withoutPersonalData } from '../src/domain/mask';
import type { AlertOutcome, KadianRecord } from '../src/domain/records';
import type { KnownCheckpoint } from '../src/domain/roll-up';
import type { Principal, Role } from './access';
import { AlertStore } from './alert-store';
import { AuditLog } from './audit-store';
import { type Database, marks, type Sql, type Transaction } from './db';
import { FiguresStore } from './figures-store';
import { FleetStore } from './fleet-store';
import { IsolationStore } from './isolation-store';
import { openPostgres } from './postgres';
import { createSchema, underPlace } from './schema';
import { openSqlite } from './sqlite';

export type AlertClosing = { name: string; outcome: AlertOutcome; note?: string };

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';
export interface RecordResult {
  id: string;
  status: RecordStatus;
  error?: string;
}
/** A record of a batch after validation: either valid, or refused with a reason. */
export type Checked = { record: KadianRecord } | { id: string; error: string };

/** Whether a record is one the roll-up's open fevers are made of. */
function inFeverLane(record: KadianRecord): boolean {
  if (['fever-follow-up', 'void', 'fever-alert-closed'].includes(record.kind)) return true;
  return (
    record.kind === 'temperature' && (record.data.fever || record.data.remeasureOf !== undefined)
  );
}

/** The record another one points at: what a void voids, a follow-up follows, a re-measurement re-measures. */
function refOf(record: KadianRecord): string | undefined {
  if (record.kind === 'void') return record.data.targetId;
  if (record.kind === 'fever-follow-up') return record.data.temperatureId;
  if (record.kind === 'temperature') return record.data.remeasureOf;
  return undefined;
}

/** Rows one INSERT carries: well within both engines' limits on parameters. */
const ROWS_PER_INSERT = 100;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The store the settings name: the PostgreSQL database of KADIAN_DATABASE_URL (postgres://…), or
 * else the SQLite file KADIAN_DB (data/kadian.sqlite by default), its folder made if need be.
 */
export async function openStore(env: Record<string, string | undefined>): Promise<Store> {
  const url = env.KADIAN_DATABASE_URL;
  let db: Database;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new Error('KADIAN_DATABASE_URL must be a postgres:// address');
    db = openPostgres(url);
  } else {
    const file = resolve(env.KADIAN_DB ?? 'data/kadian.sqlite');
    mkdirSync(dirname(file), { recursive: true });
    db = openSqlite(file);
  }
  return Store.open(db, {
    escalation: escalationOf(env.KADIAN_ESCALATE_MINUTES),
    retentionDays: Number(env.KADIAN_PURGE_DAYS ?? 28),
  });
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

type TokenRow = {
  label: string;
  role: Role;
  created_at: number;
  revoked_at: number | null;
  device_id: string | null;
  checkpoint_id: string | null;
  scope: string | null;
};

export class Store {
  readonly alerts: AlertStore;
  readonly fleet: FleetStore;
  readonly audit: AuditLog;
  readonly isolations: IsolationStore;
  readonly figures: FiguresStore;

  /** Opens the store on a database, making the tables it lacks. */
  static async open(
    db: Database,
    {
      escalation = DEFAULT_ESCALATION,
      retentionDays = 28,
    }: { escalation?: Escalation; retentionDays?: number } = {},
  ): Promise<Store> {
    const toFile = await createSchema(db, retentionDays);
    const store = new Store(db, escalation, retentionDays);
    if (toFile) await store.fileStored();
    await store.isolations.describeFiled();
    return store;
  }

  private constructor(
    readonly db: Database,
    escalation: Escalation,
    retentionDays: number,
  ) {
    this.isolations = new IsolationStore(db);
    this.alerts = new AlertStore(db, escalation, this.isolations);
    this.fleet = new FleetStore(db);
    this.audit = new AuditLog(db, retentionDays);
    this.figures = new FiguresStore(db);
  }

  /**
   * Files what the records of a file made by an earlier version bring (figures, isolations'
   * spans): the same as when they arrive.
   */
  private async fileStored(): Promise<void> {
    await this.figures.fileStored();
    await this.isolations.fileStored();
  }

  /**
   * Masks the personal data of records made before `before` (ms) that still hold it: names, ID
   * and phone numbers (see withoutPersonalData), a few hundred per transaction so uploads are not
   * held up; `stop` ends it between two. Resolves to how many were masked.
   */
  async purgePersonalData(before: number, stop = () => false): Promise<number> {
    const chunk = 500;
    let masked = 0;
    while (!stop()) {
      // A household still in isolation keeps its names and phone: its volunteers call it daily.
      const rows = await this.db.all<{ id: string; body: string }>(
        `SELECT id, body FROM records WHERE purged = 0 AND recorded_at < ?
         AND id NOT IN (${this.isolations.openRecordsSql}) ORDER BY recorded_at LIMIT ?`,
        [before, chunk],
      );
      await this.db.transaction(async (tx) => {
        for (const row of rows)
          await tx.run('UPDATE records SET body = ?, purged = 1 WHERE id = ?', [
            JSON.stringify(withoutPersonalData(JSON.parse(row.body) as KadianRecord)),
            row.id,
          ]);
      });
      masked += rows.length;
      if (rows.length < chunk) break;
    }
    return masked;
  }

  /** The results a batch key was answered with, and the hash of the body it came with. */
  async answeredBatch(
    key: string,
  ): Promise<{ bodyHash: string; results: RecordResult[] } | undefined> {
    const row = await this.db.get<{ body_hash: string; results: string }>(
      'SELECT body_hash, results FROM batches WHERE batch_key = ?',
      [key],
    );
    return row && { bodyHash: row.body_hash, results: JSON.parse(row.results) };
  }

  /**
   * Stores a batch's valid records (a known id is a duplicate, not an error) and the key's answer,
   * all in one transaction, and returns one result per record sent. The key is claimed first: the
   * same batch sent twice at once (to one receiver or two) waits for the first to commit and gets
   * its answer; 'other body' when the key came before with a different body.
   */
  async commitBatch(
    key: string,
    body: string,
    deviceId: string,
    checked: Checked[],
    now: number,
  ): Promise<RecordResult[] | 'other body'> {
    const bodyHash = sha256(body);
    return this.db.transaction(async (tx) => {
      const claimed = await tx.run(
        `INSERT INTO batches (batch_key, body_hash, device_id, received_at, results)
         VALUES (?, ?, ?, ?, '[]') ON CONFLICT (batch_key) DO NOTHING`,
        [key, bodyHash, deviceId, now],
      );
      if (claimed === 0) {
        const answered = await tx.get<{ body_hash: string; results: string }>(
          'SELECT body_hash, results FROM batches WHERE batch_key = ?',
          [key],
        );
        if (answered?.body_hash !== bodyHash) return 'other body';
        return JSON.parse(answered.results) as RecordResult[];
      }
      const results = await this.commitRecords(tx, checked, key, now);
      await tx.run('UPDATE batches SET results = ? WHERE batch_key = ?', [
        JSON.stringify(results),
        key,
      ]);
      return results;
    });
  }

  /**
   * Inserts valid records (a known id is a duplicate) inside the caller's transaction, then does
   * what each new one brings: its checkpoint joins the registry, isolations, alerts, revocations.
   */
  private async commitRecords(
    tx: Transaction,
    checked: Checked[],
    batchId: string,
    now: number,
  ): Promise<RecordResult[]> {
    const valid = checked.flatMap((item) => ('record' in item ? [item.record] : []));
    // A correction is corrected by voiding the record again, never by voiding the void.
    const targets = valid.flatMap((record) =>
      record.kind === 'void' ? [record.data.targetId] : [],
    );
    const voids = new Set(
      targets.length === 0
        ? []
        : (
            await tx.all<{ id: string; kind: string }>(
              `SELECT id, kind FROM records WHERE id IN (${marks(targets)})`,
              targets,
            )
          ).flatMap((row) => (row.kind === 'void' ? [row.id] : [])),
    );
    const results: RecordResult[] = [];
    const candidates: { record: KadianRecord; result: RecordResult }[] = [];
    for (const item of checked) {
      if (!('record' in item)) {
        results.push({ id: item.id, status: 'rejected', error: item.error });
        continue;
      }
      const { record } = item;
      if (record.kind === 'void' && voids.has(record.data.targetId)) {
        results.push({
          id: record.id,
          status: 'rejected',
          error: 'data.targetId: a void cannot be voided',
        });
        continue;
      }
      if (record.kind === 'void') voids.add(record.id);
      const result: RecordResult = { id: record.id, status: 'accepted' };
      candidates.push({ record, result });
      results.push(result);
    }
    const inserted = new Set<string>();
    for (let start = 0; start < candidates.length; start += ROWS_PER_INSERT) {
      const rows = candidates.slice(start, start + ROWS_PER_INSERT).map(({ record }) => record);
      const stored = await tx.all<{ id: string }>(
        `INSERT INTO records (id, kind, checkpoint_id, device_id, recorded_at, received_at, batch_id, body, fever_lane, ref)
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        rows.flatMap((record) => [
          record.id,
          record.kind,
          record.checkpointId,
          record.deviceId,
          record.recordedAt,
          now,
          batchId,
          JSON.stringify(record),
          inFeverLane(record) ? 1 : 0,
          refOf(record),
        ]),
      );
      for (const { id } of stored) inserted.add(id);
    }
    // Known before, or sent twice in this batch (the first of the two is stored): a duplicate.
    const fresh: KadianRecord[] = [];
    for (const { record, result } of candidates)
      if (inserted.delete(record.id)) fresh.push(record);
      else result.status = 'duplicate';
    await this.recordsStored(tx, fresh, now);
    return results;
  }

  /** What newly stored records bring, in the order they came (inside their transaction). */
  private async recordsStored(tx: Transaction, records: KadianRecord[], now: number) {
    await this.figures.recordsStored(tx, records);
    // Every checkpoint that sends anything joins the registry (its place comes from its reports).
    const checkpoints = [...new Set(records.map((record) => record.checkpointId))];
    if (checkpoints.length > 0)
      await tx.run(
        `INSERT INTO checkpoints (id) VALUES ${checkpoints.map(() => '(?)').join(', ')}
         ON CONFLICT (id) DO NOTHING`,
        checkpoints,
      );
    for (const record of records) {
      // A checkpoint the registry file does not list learns its place from its daily reports.
      if (record.kind === 'daily-report') {
        const { county, township, community, courtyard } = record.data.place;
        await tx.run(
          `UPDATE checkpoints SET county = ?, township = ?, community = ?, courtyard = ?
           WHERE id = ? AND from_file = 0`,
          [county, township, community, courtyard, record.checkpointId],
        );
      }
      await this.isolations.recordStored(tx, record);
      await this.alerts.recordStored(tx, record, now);
      if (record.kind === 'pass-revocation') {
        await tx.lockFeeds();
        await tx.run(
          'INSERT INTO revocations (pass_id, reason, revoked_at, signed) VALUES (?, ?, ?, ?)',
          [record.data.passId, record.data.reason, now, record.data.signed],
        );
      }
    }
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
  ): Promise<{ record: KadianRecord } | { refused: string }> {
    return this.db.transaction(async (tx) => {
      const checkpointId = await this.alerts.checkpointOf(alertId, tx);
      if (checkpointId === undefined) return { refused: 'no such alert' };
      const made = makeRecord(checkpointId);
      if (!('record' in made)) return { refused: made.error };
      const refused =
        'take' in action
          ? await this.alerts.take(tx, alertId, action.take, now)
          : await this.alerts.close(tx, alertId, action.close, now);
      if (refused) return { refused };
      await this.commitRecords(tx, [made], `alert:${alertId}`, now);
      await this.audit.record(
        {
          at: now,
          actor: `${made.record.volunteer.name} (${by})`,
          action: 'take' in action ? 'alert-taken' : 'alert-closed',
          subject: alertId,
          ...('close' in action && { detail: action.close.outcome }),
        },
        tx,
      );
      return { record: made.record };
    });
  }

  /** Stores the records of a device's export file, all in one transaction; known ids are duplicates. */
  importRecords(checked: Checked[], source: string, now: number): Promise<RecordResult[]> {
    return this.db.transaction((tx) => this.commitRecords(tx, checked, `import:${source}`, now));
  }

  /**
   * Stores records another receiver stored (moved here from its file) as they arrived there: with
   * their batch and the time they were received; known ids are duplicates.
   */
  storeMoved(
    records: KadianRecord[],
    batchId: string,
    receivedAt: number,
  ): Promise<RecordResult[]> {
    return this.db.transaction((tx) =>
      this.commitRecords(
        tx,
        records.map((record) => ({ record })),
        batchId,
        receivedAt,
      ),
    );
  }

  /** Stores one record sent on its own (the plain contract); a known id is a duplicate. */
  async insertRecord(record: KadianRecord, now: number): Promise<'accepted' | 'duplicate'> {
    const [result] = await this.db.transaction((tx) =>
      this.commitRecords(tx, [{ record }], `record:${record.id}`, now),
    );
    return result?.status === 'duplicate' ? 'duplicate' : 'accepted';
  }

  /** A stored record's body, as it was received. */
  async findRecord(id: string): Promise<string | undefined> {
    return (await this.db.get<{ body: string }>('SELECT body FROM records WHERE id = ?', [id]))
      ?.body;
  }

  async revocationsSince(cursor: number, limit: number) {
    const rows = await this.db.all<{
      seq: number;
      pass_id: string;
      reason: string;
      revoked_at: number;
      signed: string | null;
    }>(
      'SELECT seq, pass_id, reason, revoked_at, signed FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?',
      [cursor, limit],
    );
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

  /** Registers checkpoints from the registry file: their names and places win over the reports'. */
  async registerCheckpoints(checkpoints: KnownCheckpoint[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const { id, name, county, township, community, courtyard } of checkpoints)
        await tx.run(
          `INSERT INTO checkpoints (id, name, county, township, community, courtyard, from_file)
           VALUES (?, ?, ?, ?, ?, ?, 1)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, county = excluded.county,
             township = excluded.township, community = excluded.community,
             courtyard = excluded.courtyard, from_file = 1`,
          [id, name, county, township, community, courtyard],
        );
    });
  }

  async knownCheckpoints(): Promise<KnownCheckpoint[]> {
    const rows = await this.db.all<Record<keyof KnownCheckpoint, string | null>>(
      'SELECT id, name, county, township, community, courtyard FROM checkpoints',
    );
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)),
    ) as unknown as KnownCheckpoint[];
  }

  /**
   * The records open fevers are made of (fever readings and their re-measurements, follow-ups,
   * voids) made between two moments (ms, inclusive): a few hundred where the temperatures are
   * a hundred thousand. With a place, those of its checkpoints.
   */
  async feverLane(from: number, to: number, place?: string): Promise<KadianRecord[]> {
    const under = underPlace('checkpoint_id', place);
    const rows = await this.db.all<{ body: string }>(
      `SELECT body FROM records WHERE fever_lane = 1 AND recorded_at BETWEEN ? AND ? AND ${under.sql}
       ORDER BY recorded_at`,
      [from, to, ...under.params],
    );
    return rows.map(({ body }) => JSON.parse(body) as KadianRecord);
  }

  /** Records of some kinds made between two moments (ms, inclusive), voids left for the caller. */
  async recordsOfKinds(
    kinds: KadianRecord['kind'][],
    from: number,
    to: number,
  ): Promise<KadianRecord[]> {
    const rows = await this.db.all<{ body: string }>(
      `SELECT body FROM records WHERE kind IN (${marks(kinds)})
       AND recorded_at BETWEEN ? AND ? ORDER BY recorded_at`,
      [...kinds, from, to],
    );
    return rows.map(({ body }) => JSON.parse(body) as KadianRecord);
  }

  async recordCount(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM records'))?.n ?? 0;
  }

  async recordIds(): Promise<string[]> {
    return (await this.db.all<{ id: string }>('SELECT id FROM records ORDER BY id')).map(
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
  ): Promise<string> {
    return this.db.transaction((tx) => this.insertToken(tx, label, role, now, bound, by));
  }

  private async insertToken(
    tx: Sql,
    label: string,
    role: Role,
    now: number,
    bound: { deviceId?: string; checkpointId?: string; scope?: string },
    by: string,
  ): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.audit.record(
      {
        at: now,
        actor: by,
        action: 'token-created',
        subject: label,
        detail: [role, bound.scope, bound.checkpointId].filter(Boolean).join(' '),
      },
      tx,
    );
    await tx.run(
      `INSERT INTO tokens (token_hash, label, role, created_at, device_id, checkpoint_id, scope)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [sha256(token), label, role, now, bound.deviceId, bound.checkpointId, bound.scope],
    );
    return token;
  }

  /** Binds a device token that has no device yet (one made before binding existed) to its first user. */
  async bindToken(token: string, deviceId: string, checkpointId: string | undefined) {
    await this.db.run(
      `UPDATE tokens SET device_id = ?, checkpoint_id = coalesce(checkpoint_id, ?)
       WHERE token_hash = ? AND role = 'device' AND device_id IS NULL`,
      [deviceId, checkpointId, sha256(token)],
    );
  }

  /** A one-time enrolment code for a checkpoint, valid until `expiresAt`; only its hash is kept. */
  createEnrolment(
    checkpointId: string,
    madeBy: string,
    expiresAt: number,
    now = Date.now(),
  ): Promise<string> {
    const code = randomBytes(18).toString('base64url');
    return this.db.transaction(async (tx) => {
      await this.audit.record(
        { at: now, actor: madeBy, action: 'enrolment-made', subject: checkpointId },
        tx,
      );
      await tx.run(
        'INSERT INTO enrolments (code_hash, checkpoint_id, made_by, expires_at) VALUES (?, ?, ?, ?)',
        [sha256(code), checkpointId, madeBy, expiresAt],
      );
      return code;
    });
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
  ): Promise<{ token: string; checkpointId: string } | undefined> {
    return this.db.transaction(async (tx) => {
      // FOR UPDATE is PostgreSQL's; SQLite's one writer already holds the file.
      const row = await tx.get<{
        checkpoint_id: string;
        used_by: string | null;
        token_hash: string | null;
      }>(
        `SELECT checkpoint_id, used_by, token_hash FROM enrolments WHERE code_hash = ? AND expires_at >= ?${
          this.db.engine === 'postgres' ? ' FOR UPDATE' : ''
        }`,
        [sha256(code), now],
      );
      if (!row || (row.used_by !== null && row.used_by !== deviceId)) return undefined;
      if (row.token_hash) {
        await tx.run('UPDATE tokens SET revoked_at = ? WHERE token_hash = ?', [
          now,
          row.token_hash,
        ]);
        await this.audit.record(
          {
            at: now,
            actor: 'enrolment code',
            action: 'token-revoked',
            subject: deviceId,
            detail: 'claimed again by the same device',
          },
          tx,
        );
      }
      const checkpointId = row.checkpoint_id;
      const token = await this.insertToken(
        tx,
        deviceId,
        'device',
        now,
        { deviceId, checkpointId },
        'enrolment code',
      );
      await tx.run(
        'UPDATE enrolments SET used_at = ?, used_by = ?, token_hash = ? WHERE code_hash = ?',
        [now, deviceId, sha256(token), sha256(code)],
      );
      return { token, checkpointId };
    });
  }

  revokeTokens(label: string, now: number, by = 'command line'): Promise<number> {
    return this.db.transaction(async (tx) => {
      const revoked = await tx.run(
        'UPDATE tokens SET revoked_at = ? WHERE label = ? AND revoked_at IS NULL',
        [now, label],
      );
      if (revoked > 0)
        await this.audit.record(
          { at: now, actor: by, action: 'token-revoked', subject: label },
          tx,
        );
      return revoked;
    });
  }

  listTokens(): Promise<TokenRow[]> {
    return this.db.all<TokenRow>(
      'SELECT label, role, created_at, revoked_at, device_id, checkpoint_id, scope FROM tokens ORDER BY created_at',
    );
  }

  /** True while no token was ever made: the receiver then runs open (and says so at start). */
  async isOpen(): Promise<boolean> {
    return (await this.db.get('SELECT 1 FROM tokens LIMIT 1')) === undefined;
  }

  /** Who holds a live token, or undefined for an unknown or revoked one. */
  async principal(token: string): Promise<Principal | undefined> {
    const row = await this.db.get<Omit<TokenRow, 'created_at' | 'revoked_at'>>(
      'SELECT role, label, device_id, checkpoint_id, scope FROM tokens WHERE token_hash = ? AND revoked_at IS NULL',
      [sha256(token)],
    );
    if (!row) return undefined;
    return {
      role: row.role,
      label: row.label,
      ...(row.device_id !== null && { deviceId: row.device_id }),
      ...(row.checkpoint_id !== null && { checkpointId: row.checkpoint_id }),
      ...(row.scope !== null && { scope: row.scope }),
    };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export { sha256 };
