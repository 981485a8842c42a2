// Home isolations in the receiver's database: a feed of every isolation record (start, check-ins,
// extensions, end, and the voids of any of them) in the order they were stored, filed under the
// isolation and its responsible checkpoint, which the checkpoint's devices pull by cursor; and each
// isolation's first day and the day it ended, so a day's roll-up reads only the isolations followed
// that day. Written in the transaction that stores the record.
import { localDay } from '../src/domain/day';
import { type Isolation, isolationsOf } from '../src/domain/isolation';
import { isIsolationRecord, type KadianRecord } from '../src/domain/records';
import type { Database, Sql, Transaction } from './db';
import { underPlace } from './schema';

/** What the feed keeps of a record beside its id: its kind, when it was made, symptomatic or not. */
const described = (record: KadianRecord) => [
  record.kind,
  record.recordedAt,
  record.kind === 'isolation-check-in' && record.data.symptomatic ? 1 : 0,
];

export class IsolationStore {
  constructor(private readonly db: Database) {}

  /** A record just stored (inside its transaction): an isolation's is filed, so is a void of one. */
  async recordStored(tx: Transaction, record: KadianRecord): Promise<void> {
    let filed: { isolation_id: string; checkpoint_id: string } | undefined;
    if (record.kind === 'isolation-start')
      filed = { isolation_id: record.id, checkpoint_id: record.data.responsible.checkpointId };
    else if (isIsolationRecord(record) || record.kind === 'void') {
      const under =
        record.kind === 'void'
          ? record.data.targetId
          : (record.data as { isolationId: string }).isolationId;
      filed = await tx.get<NonNullable<typeof filed>>(
        'SELECT isolation_id, checkpoint_id FROM isolation_feed WHERE record_id = ?',
        [under],
      );
      // A check-in whose start this receiver has not (yet) got is filed under its own checkpoint.
      if (!filed && record.kind !== 'void')
        filed = { isolation_id: under, checkpoint_id: record.checkpointId };
    }
    if (!filed) return;
    await tx.lockFeeds();
    await tx.run(
      `INSERT INTO isolation_feed (record_id, isolation_id, checkpoint_id, kind, recorded_at, symptomatic)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO NOTHING`,
      [record.id, filed.isolation_id, filed.checkpoint_id, ...described(record)],
    );
    await this.span(tx, record, filed.isolation_id);
  }

  /**
   * Keeps an isolation's span: its first day, and the earliest day an end was recorded. A voided
   * end forgets the end day (the isolation may go on): the span may then hold more days than the
   * isolation, never fewer — the roll-up works the days out from the records themselves.
   */
  private async span(tx: Transaction, record: KadianRecord, isolationId: string) {
    if (record.kind === 'isolation-start')
      await tx.run(
        `INSERT INTO isolation_spans (isolation_id, first_day) VALUES (?, ?)
         ON CONFLICT (isolation_id) DO UPDATE SET first_day = excluded.first_day`,
        [isolationId, record.data.startDay],
      );
    else if (record.kind === 'isolation-end')
      await tx.run(
        `INSERT INTO isolation_spans (isolation_id, end_day) VALUES (?, ?)
         ON CONFLICT (isolation_id) DO UPDATE SET end_day = CASE
           WHEN isolation_spans.end_day IS NULL OR excluded.end_day < isolation_spans.end_day
           THEN excluded.end_day ELSE isolation_spans.end_day END`,
        [isolationId, localDay(record.recordedAt)],
      );
    else if (
      record.kind === 'void' &&
      (await tx.get(`SELECT 1 FROM records WHERE id = ? AND kind = 'isolation-end'`, [
        record.data.targetId,
      ]))
    )
      await tx.run('UPDATE isolation_spans SET end_day = NULL WHERE isolation_id = ?', [
        isolationId,
      ]);
  }

  /** Keeps the spans of the isolations a file made by an earlier version holds. */
  async fileStored(): Promise<void> {
    const rows = await this.db.all<{ isolation_id: string; body: string }>(
      'SELECT f.isolation_id, r.body FROM isolation_feed f JOIN records r ON r.id = f.record_id ORDER BY f.seq',
    );
    await this.db.transaction(async (tx) => {
      for (const row of rows)
        await this.span(tx, JSON.parse(row.body) as KadianRecord, row.isolation_id);
    });
  }

  /** Describes the feed's records filed by an earlier version (their kind, time, symptoms). */
  async describeFiled(): Promise<void> {
    for (;;) {
      const rows = await this.db.all<{ body: string }>(
        `SELECT r.body FROM isolation_feed f JOIN records r ON r.id = f.record_id
         WHERE f.kind IS NULL LIMIT 1000`,
      );
      if (rows.length === 0) return;
      await this.db.transaction(async (tx) => {
        for (const row of rows) {
          const record = JSON.parse(row.body) as KadianRecord;
          await tx.run(
            'UPDATE isolation_feed SET kind = ?, recorded_at = ?, symptomatic = ? WHERE record_id = ?',
            [...described(record), record.id],
          );
        }
      });
    }
  }

  /** The isolation records of a checkpoint (or of all, for the office) filed after a cursor. */
  async since(checkpointId: string | undefined, cursor: number, limit: number) {
    const rows = await this.db.all<{ seq: number; body: string }>(
      `SELECT f.seq, r.body FROM isolation_feed f JOIN records r ON r.id = f.record_id
       WHERE f.seq > ? ${checkpointId === undefined ? '' : 'AND f.checkpoint_id = ?'}
       ORDER BY f.seq LIMIT ?`,
      checkpointId === undefined ? [cursor, limit] : [cursor, checkpointId, limit],
    );
    return {
      records: rows.map(({ body }) => JSON.parse(body) as KadianRecord),
      next: rows.at(-1)?.seq ?? cursor,
    };
  }

  /**
   * The isolations followed on some day from `from` to `to` (started by then, not ended before
   * it), as their records tell them (voided ones left out); an isolation the spans cannot rule out
   * is read and judged. With a place, those its checkpoints follow. Their check-ins come as what
   * a day's judgement reads of them — when they were made, and whether symptomatic — not their
   * readings: a province's day is tens of thousands of check-ins.
   */
  async followedBetween(from: string, to: string, place?: string): Promise<Isolation[]> {
    const under = underPlace('f.checkpoint_id', place);
    const followed = `f.isolation_id IN (SELECT isolation_id FROM isolation_spans
      WHERE first_day <= ? AND (end_day IS NULL OR end_day >= ?)) AND ${under.sql}`;
    const params = [to, from, ...under.params];
    const rows = await this.db.all<{
      record_id: string;
      isolation_id: string;
      recorded_at: number;
      symptomatic: number;
      body: string | null;
    }>(
      `SELECT f.record_id, f.isolation_id, f.recorded_at, f.symptomatic, NULL AS body
       FROM isolation_feed f WHERE f.kind = 'isolation-check-in' AND ${followed}
       UNION ALL
       SELECT f.record_id, f.isolation_id, f.recorded_at, f.symptomatic, r.body
       FROM isolation_feed f JOIN records r ON r.id = f.record_id
       WHERE (f.kind IS NULL OR f.kind <> 'isolation-check-in') AND ${followed}`,
      [...params, ...params],
    );
    return isolationsOf(
      rows.map((row) =>
        row.body === null
          ? ({
              id: row.record_id,
              kind: 'isolation-check-in',
              recordedAt: row.recorded_at,
              data: { isolationId: row.isolation_id, symptomatic: row.symptomatic === 1 },
            } as KadianRecord)
          : (JSON.parse(row.body) as KadianRecord),
      ),
    );
  }

  /**
   * SQL for the ids of the records of the isolations that have not ended (or whose end was voided:
   * kept rather than masked too soon).
   */
  readonly openRecordsSql = `SELECT record_id FROM isolation_feed WHERE isolation_id IN
    (SELECT isolation_id FROM isolation_spans WHERE end_day IS NULL)`;

  /** A start record's body, for the alert a symptomatic check-in raises. */
  async start(isolationId: string, sql: Sql = this.db): Promise<KadianRecord | undefined> {
    const row = await sql.get<{ body: string }>(
      `SELECT body FROM records WHERE id = ? AND kind = 'isolation-start'`,
      [isolationId],
    );
    return row && (JSON.parse(row.body) as KadianRecord);
  }
}
