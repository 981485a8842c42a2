// Fever alerts in the receiver's database: one row per alert (the first fever reading), who took and
// closed it, and a commit-ordered table of events — every change to an alert is one, written in
// the transaction that made the change — which the live duty pages read and replay by their ids.
import {
  type AlertSample,
  type AlertState,
  type Escalation,
  escalationTimes,
} from '../src/domain/alerts';
import { maskName } from '../src/domain/mask';
import type { AlertOutcome, KadianRecord, RecordOfKind } from '../src/domain/records';
import { type Database, marks, type Sql, type Transaction } from './db';
import type { IsolationStore } from './isolation-store';
import { underPlace } from './schema';

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

/** The channel alert changes are announced on. */
const ALERTS_CHANNEL = 'kadian_alerts';

export class AlertStore {
  constructor(
    private readonly db: Database,
    private readonly escalation: Escalation,
    private readonly isolations: IsolationStore,
  ) {}

  /** An alert changed: an event every receiver's live pages hear of once it commits. */
  private async event(tx: Transaction, alertId: string, now: number) {
    await tx.lockFeeds();
    await tx.run('INSERT INTO alert_events (alert_id, at) VALUES (?, ?)', [alertId, now]);
    await tx.notify(ALERTS_CHANNEL);
  }

  private async exists(tx: Sql, id: string): Promise<boolean> {
    return (await tx.get('SELECT 1 FROM alerts WHERE id = ?', [id])) !== undefined;
  }

  /** Calls `listener` after each commit that changed an alert, on any receiver of the database. */
  onChange(listener: () => void): () => void {
    return this.db.listen(ALERTS_CHANNEL, listener);
  }

  /**
   * A record just stored (inside its transaction): a fever reading opens an alert named by its
   * chain's first reading; what the gate does about one (a re-measurement, a follow-up, a void)
   * is an event of that alert.
   */
  async recordStored(tx: Transaction, record: KadianRecord, now: number): Promise<void> {
    // Made here when someone took or closed an alert (already applied then); applied when the
    // records come from elsewhere (another receiver's file, moved here).
    if (record.kind === 'fever-alert-taken') {
      await this.taken(tx, record.data.alertId, record.volunteer, record.recordedAt);
      return;
    }
    if (record.kind === 'fever-alert-closed') {
      const { alertId, outcome, note } = record.data;
      await this.closed(
        tx,
        alertId,
        { name: record.volunteer.name, outcome, note },
        record.recordedAt,
      );
      return;
    }
    if (record.kind === 'isolation-check-in' && record.data.symptomatic) {
      await this.isolationAlert(tx, record, now);
      return;
    }
    if (record.kind === 'temperature') {
      const id = record.data.remeasureOf ?? record.id;
      if (!record.data.fever && !record.data.remeasureOf) return;
      const exists = await this.exists(tx, id);
      if (record.data.fever && !exists) {
        const { name, ...subject } = record.data.subject;
        await tx.run(
          `INSERT INTO alerts (id, checkpoint_id, measured_at, received_at, celsius, subject)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [
            id,
            record.checkpointId,
            record.recordedAt,
            now,
            record.data.celsius,
            JSON.stringify({ ...subject, ...(name && { name: maskName(name) }) }),
          ],
        );
        await this.event(tx, id, now);
        return;
      }
      if (record.data.remeasureOf && exists) await this.event(tx, id, now);
      return;
    }
    if (record.kind === 'fever-follow-up' && (await this.exists(tx, record.data.temperatureId)))
      await this.event(tx, record.data.temperatureId, now);
    if (record.kind === 'void' && (await this.exists(tx, record.data.targetId))) {
      await tx.run('UPDATE alerts SET voided = 1 WHERE id = ?', [record.data.targetId]);
      await this.event(tx, record.data.targetId, now);
    }
  }

  /**
   * A symptomatic check-in of a household in home isolation opens an alert of its own, named by the
   * check-in: the member with difficulty breathing or a felt fever, else the highest reading, the
   * address as ref.
   */
  private async isolationAlert(
    tx: Transaction,
    checkIn: RecordOfKind<'isolation-check-in'>,
    now: number,
  ) {
    const start = await this.isolations.start(checkIn.data.isolationId, tx);
    const readings = [...checkIn.data.readings].sort(
      (a, b) =>
        Number(alarming(b.symptoms)) - Number(alarming(a.symptoms)) || b.celsius - a.celsius,
    );
    const reading = readings[0];
    if (!reading) return;
    const member =
      start?.kind === 'isolation-start' ? start.data.members[reading.member] : undefined;
    await tx.run(
      `INSERT INTO alerts (id, checkpoint_id, measured_at, received_at, celsius, subject)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [
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
      ],
    );
    await this.event(tx, checkIn.id, now);
  }

  /**
   * Takes an alert for a person on duty (inside the caller's transaction): the first committed
   * take wins. Undefined when taken; otherwise why not (who took it, or that there is none).
   */
  async take(
    tx: Transaction,
    id: string,
    by: { name: string; phone?: string },
    now: number,
  ): Promise<string | undefined> {
    if (await this.taken(tx, id, by, now)) return undefined;
    const row = await tx.get<{ taken_by: string | null; closed_by: string | null }>(
      'SELECT taken_by, closed_by FROM alerts WHERE id = ?',
      [id],
    );
    if (!row) return 'no such alert';
    return `taken by ${row.taken_by ?? row.closed_by}`;
  }

  /** Closes a taken alert with its outcome (inside the caller's transaction); why not, if not. */
  async close(
    tx: Transaction,
    id: string,
    closing: { name: string; outcome: AlertOutcome; note?: string },
    now: number,
  ): Promise<string | undefined> {
    if (await this.closed(tx, id, closing, now)) return undefined;
    const row = await tx.get<{ taken_at: number | null; closed_by: string | null }>(
      'SELECT taken_at, closed_by FROM alerts WHERE id = ?',
      [id],
    );
    if (!row) return 'no such alert';
    if (row.closed_by) return `closed by ${row.closed_by}`;
    return 'take the alert before closing it';
  }

  /** Marks an alert taken, unless it was taken or closed before: whether it was. */
  private async taken(
    tx: Transaction,
    id: string,
    by: { name: string; phone?: string },
    at: number,
  ): Promise<boolean> {
    const changed = await tx.run(
      'UPDATE alerts SET taken_by = ?, taken_phone = ?, taken_at = ? WHERE id = ? AND taken_at IS NULL AND closed_at IS NULL',
      [by.name, by.phone, at, id],
    );
    if (changed === 1) await this.event(tx, id, at);
    return changed === 1;
  }

  /** Closes a taken alert, unless it was closed before: whether it was. */
  private async closed(
    tx: Transaction,
    id: string,
    closing: { name: string; outcome: AlertOutcome; note?: string },
    at: number,
  ): Promise<boolean> {
    const changed = await tx.run(
      'UPDATE alerts SET closed_by = ?, closed_at = ?, outcome = ?, note = ? WHERE id = ? AND taken_at IS NOT NULL AND closed_at IS NULL',
      [closing.name, at, closing.outcome, closing.note, id],
    );
    if (changed === 1) await this.event(tx, id, at);
    return changed === 1;
  }

  /** The checkpoint an alert belongs to. */
  async checkpointOf(id: string, sql: Sql = this.db): Promise<string | undefined> {
    return (
      await sql.get<{ checkpoint_id: string }>('SELECT checkpoint_id FROM alerts WHERE id = ?', [
        id,
      ])
    )?.checkpoint_id;
  }

  /** The alerts of these rows as they stand, with what their gates did since (read at once). */
  private async states(rows: AlertRow[]): Promise<AlertState[]> {
    const atGate = new Map<string, AlertState['atGate']>();
    for (let start = 0; start < rows.length; start += 500) {
      const ids = rows.slice(start, start + 500).map((row) => row.id);
      // By the index on ref alone (the kinds are told apart below, not by the index on kind).
      const records = await this.db.all<{ body: string }>(
        `SELECT body FROM records WHERE ref IN (${marks(ids)})
         ORDER BY recorded_at`,
        ids,
      );
      for (const { body } of records) {
        const record = JSON.parse(body) as KadianRecord;
        if (record.kind !== 'temperature' && record.kind !== 'fever-follow-up') continue;
        const id =
          record.kind === 'temperature' ? record.data.remeasureOf : record.data.temperatureId;
        if (id === undefined) continue;
        atGate.set(id, [
          ...(atGate.get(id) ?? []),
          record.kind === 'temperature'
            ? { at: record.recordedAt, celsius: record.data.celsius }
            : { at: record.recordedAt, action: record.data.action },
        ]);
      }
    }
    return rows.map((row) => this.state(row, atGate.get(row.id) ?? []));
  }

  private state(row: AlertRow, atGate: AlertState['atGate']): AlertState {
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
  async alert(id: string, scope: AlertScope): Promise<AlertState | undefined> {
    const { sql, params } = scopeSql(scope);
    const row = await this.db.get<AlertRow>(`${SELECT} WHERE a.id = ? AND ${sql}`, [id, ...params]);
    return row && (await this.states([row]))[0];
  }

  /** Alerts received in a time range (ms, inclusive), oldest first. */
  async alertsBetween(from: number, to: number, scope: AlertScope): Promise<AlertState[]> {
    const { sql, params } = scopeSql(scope);
    const rows = await this.db.all<AlertRow>(
      `${SELECT} WHERE a.received_at BETWEEN ? AND ? AND ${sql} ORDER BY a.received_at`,
      [from, to, ...params],
    );
    return this.states(rows);
  }

  /** What the roll-up counts of the alerts received in a time range (ms, inclusive), voided ones left out. */
  async samples(from: number, to: number, place?: string): Promise<AlertSample[]> {
    const under = underPlace('checkpoint_id', place);
    const rows = await this.db.all<{
      checkpoint_id: string;
      received_at: number;
      taken_at: number | null;
    }>(
      `SELECT checkpoint_id, received_at, taken_at FROM alerts
       WHERE received_at BETWEEN ? AND ? AND voided = 0 AND ${under.sql}`,
      [from, to, ...under.params],
    );
    return rows.map((row) => ({
      checkpointId: row.checkpoint_id,
      receivedAt: row.received_at,
      ...(row.taken_at !== null && { takenAt: row.taken_at }),
    }));
  }

  /** The newest event's id: where a page that has just read the alerts starts listening. */
  async lastEvent(): Promise<number> {
    return (
      (await this.db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM alert_events'))
        ?.seq ?? 0
    );
  }

  /**
   * Alerts changed after event `since` that the scope may see, each once in its state now, with
   * the id of its last event; `next` is where to read from after them.
   */
  async changedSince(
    since: number,
    scope: AlertScope,
    limit = 500,
  ): Promise<{ changes: { seq: number; alert: AlertState }[]; next: number }> {
    const { sql, params } = scopeSql(scope);
    const events = await this.db.all<{ seq: number; alert_id: string }>(
      `SELECT e.seq, e.alert_id FROM alert_events e JOIN alerts a ON a.id = e.alert_id
       LEFT JOIN checkpoints c ON c.id = a.checkpoint_id
       WHERE e.seq > ? AND ${sql} ORDER BY e.seq LIMIT ?`,
      [since, ...params, limit],
    );
    const last = new Map<string, number>();
    for (const event of events) last.set(event.alert_id, event.seq);
    const ids = [...last.keys()];
    const rows =
      ids.length === 0
        ? []
        : await this.db.all<AlertRow>(`${SELECT} WHERE a.id IN (${marks(ids)})`, ids);
    const changes = (await this.states(rows))
      .map((alert) => ({ seq: last.get(alert.id) ?? 0, alert }))
      .sort((a, b) => a.seq - b.seq);
    // Events the scope may not see are skipped, not waited for: read on from the newest looked at.
    const next = events.at(-1)?.seq ?? since;
    return { changes, next: Math.max(next, since) };
  }
}
