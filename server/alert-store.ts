// Fever alerts in the receiver's file: one row per alert (the first fever reading), who took and
// closed it, and a commit-ordered table of events — every change to an alert is one, written in
// the transaction that made the change — which the live duty pages read and replay by their ids.
import type Database from 'better-sqlite3';
import { type AlertState, type Escalation, escalationTimes } from '../src/domain/alerts';
import { maskName } from '../src/domain/mask';
import type { AlertOutcome, KadianRecord, RecordOfKind } from '../src/domain/records';
import type { IsolationStore } from './isolation-store';

export const ALERT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    measured_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    celsius REAL NOT NULL,
    subject TEXT NOT NULL,
    taken_by TEXT,
    taken_phone TEXT,
    taken_at INTEGER,
    closed_by TEXT,
    closed_at INTEGER,
    outcome TEXT,
    note TEXT,
    voided INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS alerts_checkpoint ON alerts (checkpoint_id, received_at);
  CREATE TABLE IF NOT EXISTS alert_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL,
    at INTEGER NOT NULL
  );
`;

/** Whose alerts a request may see: a checkpoint's (a gate), a place's (duty, viewer), or all. */
export type AlertScope = { checkpointId: string } | { place: string } | 'all';

function scopeSql(scope: AlertScope): { sql: string; params: string[] } {
  if (scope === 'all') return { sql: '1 = 1', params: [] };
  if ('checkpointId' in scope) return { sql: 'a.checkpoint_id = ?', params: [scope.checkpointId] };
  return {
    sql: '(c.county = ? OR c.township = ? OR c.community = ?)',
    params: [scope.place, scope.place, scope.place],
  };
}

type AlertRow = {
  id: string;
  checkpoint_id: string;
  measured_at: number;
  received_at: number;
  celsius: number;
  subject: string;
  taken_by: string | null;
  taken_phone: string | null;
  taken_at: number | null;
  closed_by: string | null;
  closed_at: number | null;
  outcome: AlertOutcome | null;
  note: string | null;
  voided: number;
  checkpoint_name: string | null;
  county: string | null;
  township: string | null;
  community: string | null;
  courtyard: string | null;
};

const SELECT = `SELECT a.*, c.name AS checkpoint_name, c.county, c.township, c.community, c.courtyard
  FROM alerts a LEFT JOIN checkpoints c ON c.id = a.checkpoint_id`;

const present = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));

/** The symptoms that make an isolation check-in an alert whatever the temperature (as on the device). */
const alarming = (symptoms: readonly string[]) =>
  symptoms.includes('breathing') || symptoms.includes('fever');

export class AlertStore {
  constructor(
    private readonly db: Database.Database,
    private readonly escalation: Escalation,
    private readonly isolations: IsolationStore,
  ) {
    db.exec(ALERT_SCHEMA);
  }

  private event(alertId: string, now: number) {
    this.db.prepare('INSERT INTO alert_events (alert_id, at) VALUES (?, ?)').run(alertId, now);
  }

  private exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM alerts WHERE id = ?').get(id) !== undefined;
  }

  /**
   * A record just stored (inside its transaction): a fever reading opens an alert named by its
   * chain's first reading; what the gate does about one (a re-measurement, a follow-up, a void)
   * is an event of that alert.
   */
  recordStored(record: KadianRecord, now: number): void {
    if (record.kind === 'isolation-check-in' && record.data.symptomatic) {
      this.isolationAlert(record, now);
      return;
    }
    if (record.kind === 'temperature') {
      const id = record.data.remeasureOf ?? record.id;
      if (record.data.fever && !this.exists(id)) {
        const { name, ...subject } = record.data.subject;
        this.db
          .prepare(
            `INSERT INTO alerts (id, checkpoint_id, measured_at, received_at, celsius, subject)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            record.checkpointId,
            record.recordedAt,
            now,
            record.data.celsius,
            JSON.stringify({ ...subject, ...(name && { name: maskName(name) }) }),
          );
        this.event(id, now);
        return;
      }
      if (record.data.remeasureOf && this.exists(id)) this.event(id, now);
      return;
    }
    if (record.kind === 'fever-follow-up' && this.exists(record.data.temperatureId))
      this.event(record.data.temperatureId, now);
    if (record.kind === 'void' && this.exists(record.data.targetId)) {
      this.db.prepare('UPDATE alerts SET voided = 1 WHERE id = ?').run(record.data.targetId);
      this.event(record.data.targetId, now);
    }
  }

  /**
   * A symptomatic check-in of a household in home isolation opens an alert of its own, named by the
   * check-in: the member with difficulty breathing or a felt fever, else the highest reading, the
   * address as ref.
   */
  private isolationAlert(checkIn: RecordOfKind<'isolation-check-in'>, now: number) {
    const start = this.isolations.start(checkIn.data.isolationId);
    const readings = [...checkIn.data.readings].sort(
      (a, b) =>
        Number(alarming(b.symptoms)) - Number(alarming(a.symptoms)) || b.celsius - a.celsius,
    );
    const reading = readings[0];
    if (!reading) return;
    const member =
      start?.kind === 'isolation-start' ? start.data.members[reading.member] : undefined;
    this.db
      .prepare(
        `INSERT OR IGNORE INTO alerts (id, checkpoint_id, measured_at, received_at, celsius, subject)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        checkIn.id,
        checkIn.checkpointId,
        checkIn.recordedAt,
        now,
        reading.celsius,
        JSON.stringify({
          type: 'isolation',
          ...(start?.kind === 'isolation-start' && { ref: start.data.address }),
          ...(member && { name: maskName(member.name) }),
          ...(reading.symptoms.length > 0 && { symptoms: reading.symptoms }),
        }),
      );
    this.event(checkIn.id, now);
  }

  /**
   * Takes an alert for a person on duty (inside the caller's transaction): the first committed
   * take wins. Undefined when taken; otherwise why not (who took it, or that there is none).
   */
  take(id: string, by: { name: string; phone?: string }, now: number): string | undefined {
    const taken = this.db
      .prepare(
        'UPDATE alerts SET taken_by = ?, taken_phone = ?, taken_at = ? WHERE id = ? AND taken_at IS NULL AND closed_at IS NULL',
      )
      .run(by.name, by.phone ?? null, now, id);
    if (taken.changes === 1) {
      this.event(id, now);
      return undefined;
    }
    const row = this.db.prepare('SELECT taken_by, closed_by FROM alerts WHERE id = ?').get(id) as
      | { taken_by: string | null; closed_by: string | null }
      | undefined;
    if (!row) return 'no such alert';
    return `taken by ${row.taken_by ?? row.closed_by}`;
  }

  /** Closes a taken alert with its outcome (inside the caller's transaction); why not, if not. */
  close(
    id: string,
    closing: { name: string; outcome: AlertOutcome; note?: string },
    now: number,
  ): string | undefined {
    const closed = this.db
      .prepare(
        'UPDATE alerts SET closed_by = ?, closed_at = ?, outcome = ?, note = ? WHERE id = ? AND taken_at IS NOT NULL AND closed_at IS NULL',
      )
      .run(closing.name, now, closing.outcome, closing.note ?? null, id);
    if (closed.changes === 1) {
      this.event(id, now);
      return undefined;
    }
    const row = this.db.prepare('SELECT taken_at, closed_by FROM alerts WHERE id = ?').get(id) as
      | { taken_at: number | null; closed_by: string | null }
      | undefined;
    if (!row) return 'no such alert';
    if (row.closed_by) return `closed by ${row.closed_by}`;
    return 'take the alert before closing it';
  }

  /** The checkpoint an alert belongs to. */
  checkpointOf(id: string): string | undefined {
    return this.db.prepare('SELECT checkpoint_id FROM alerts WHERE id = ?').pluck().get(id) as
      | string
      | undefined;
  }

  private state(row: AlertRow): AlertState {
    const atGate = (
      this.db
        .prepare(
          `SELECT body FROM records WHERE fever_lane = 1 AND kind IN ('temperature', 'fever-follow-up')
           AND (json_extract(body, '$.data.remeasureOf') = ? OR json_extract(body, '$.data.temperatureId') = ?)
           ORDER BY recorded_at`,
        )
        .all(row.id, row.id) as { body: string }[]
    ).map(({ body }) => {
      const record = JSON.parse(body) as KadianRecord;
      if (record.kind === 'temperature')
        return { at: record.recordedAt, celsius: record.data.celsius };
      return {
        at: record.recordedAt,
        action: record.kind === 'fever-follow-up' ? record.data.action : '',
      };
    });
    return {
      id: row.id,
      checkpointId: row.checkpoint_id,
      ...(row.checkpoint_name && { checkpointName: row.checkpoint_name }),
      place: present({
        county: row.county,
        township: row.township,
        community: row.community,
        courtyard: row.courtyard,
      }),
      measuredAt: row.measured_at,
      receivedAt: row.received_at,
      celsius: row.celsius,
      subject: JSON.parse(row.subject),
      ...(row.taken_by !== null &&
        row.taken_at !== null && {
          taken: present({ by: row.taken_by, phone: row.taken_phone, at: row.taken_at }) as {
            by: string;
            at: number;
          },
        }),
      ...(row.closed_by !== null &&
        row.closed_at !== null &&
        row.outcome !== null && {
          closed: present({
            by: row.closed_by,
            at: row.closed_at,
            outcome: row.outcome,
            note: row.note,
          }) as { by: string; at: number; outcome: AlertOutcome },
        }),
      atGate,
      voided: row.voided === 1,
      escalatesAt: escalationTimes(row.received_at, this.escalation),
    };
  }

  /** One alert, if the scope may see it. */
  alert(id: string, scope: AlertScope): AlertState | undefined {
    const { sql, params } = scopeSql(scope);
    const row = this.db.prepare(`${SELECT} WHERE a.id = ? AND ${sql}`).get(id, ...params) as
      | AlertRow
      | undefined;
    return row && this.state(row);
  }

  /** Alerts received in a time range (ms, inclusive), oldest first. */
  alertsBetween(from: number, to: number, scope: AlertScope): AlertState[] {
    const { sql, params } = scopeSql(scope);
    const rows = this.db
      .prepare(`${SELECT} WHERE a.received_at BETWEEN ? AND ? AND ${sql} ORDER BY a.received_at`)
      .all(from, to, ...params) as AlertRow[];
    return rows.map((row) => this.state(row));
  }

  /** The newest event's id: where a page that has just read the alerts starts listening. */
  lastEvent(): number {
    return (this.db.prepare('SELECT max(seq) FROM alert_events').pluck().get() as number) ?? 0;
  }

  /**
   * Alerts changed after event `since` that the scope may see, each once in its state now, with
   * the id of its last event; `next` is where to read from after them.
   */
  changedSince(
    since: number,
    scope: AlertScope,
    limit = 500,
  ): { changes: { seq: number; alert: AlertState }[]; next: number } {
    const { sql, params } = scopeSql(scope);
    const events = this.db
      .prepare(
        `SELECT e.seq, e.alert_id FROM alert_events e JOIN alerts a ON a.id = e.alert_id
         LEFT JOIN checkpoints c ON c.id = a.checkpoint_id
         WHERE e.seq > ? AND ${sql} ORDER BY e.seq LIMIT ?`,
      )
      .all(since, ...params, limit) as { seq: number; alert_id: string }[];
    const last = new Map<string, number>();
    for (const event of events) last.set(event.alert_id, event.seq);
    const changes = [...last]
      .sort((a, b) => a[1] - b[1])
      .flatMap(([id, seq]) => {
        const alert = this.alert(id, 'all');
        return alert ? [{ seq, alert }] : [];
      });
    // Events the scope may not see are skipped, not waited for: read on from the newest looked at.
    const next = events.at(-1)?.seq ?? since;
    return { changes, next: Math.max(next, since) };
  }
}
