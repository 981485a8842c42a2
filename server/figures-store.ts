// What the roll-up and the quota flags read, kept as the records arrive so a read stays small
// however many records the database holds: each daily report's figures filed under its day, and
// each allowed exit of a household. A void marks what it voids (whichever of the two came first).
import type { Exit } from '../src/domain/quota-flags';
import type { KadianRecord } from '../src/domain/records';
import type { ReportFigures } from '../src/domain/roll-up';
import type { Database, Sql } from './db';

/** Rows one INSERT carries. */
const ROWS = 200;

/** Inserts rows (known ones are left as they are). */
async function insertRows(tx: Sql, into: string, rows: unknown[][]) {
  for (let start = 0; start < rows.length; start += ROWS) {
    const some = rows.slice(start, start + ROWS);
    const values = some.map((row) => `(${row.map(() => '?').join(', ')})`);
    await tx.run(
      `INSERT INTO ${into} VALUES ${values.join(', ')} ON CONFLICT (record_id) DO NOTHING`,
      some.flat(),
    );
  }
}

export class FiguresStore {
  constructor(private readonly db: Database) {}

  /** Records just stored, in the order they came (inside their transaction). */
  async recordsStored(tx: Sql, records: readonly KadianRecord[]): Promise<void> {
    const filed = records.filter(
      (record) =>
        record.kind === 'daily-report' ||
        (record.kind === 'pass-scan' &&
          record.data.passId &&
          record.data.householdId &&
          record.data.verdict === 'allowed' &&
          record.data.direction === 'out'),
    );
    // A void may come before what it voids: those already here are counted as they are filed.
    const voided = new Set<string>();
    for (let start = 0; start < filed.length; start += 500) {
      const ids = filed.slice(start, start + 500).map((record) => record.id);
      // By the index on ref (only voids point at reports and scans; the kind is checked anyway).
      const rows = await tx.all<{ kind: string; ref: string }>(
        `SELECT kind, ref FROM records WHERE ref IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const row of rows) if (row.kind === 'void') voided.add(row.ref);
    }
    const reports: unknown[][] = [];
    const exits: unknown[][] = [];
    for (const record of filed) {
      const isVoided = voided.has(record.id) ? 1 : 0;
      if (record.kind === 'daily-report') {
        const { date, place, counts, zero } = record.data;
        const figures = JSON.stringify({ place, counts, zero });
        reports.push([
          record.id,
          date,
          record.checkpointId,
          record.deviceId,
          record.recordedAt,
          figures,
          isVoided,
        ]);
      } else if (record.kind === 'pass-scan')
        exits.push([
          record.id,
          record.data.passId,
          record.data.householdId,
          record.checkpointId,
          record.deviceId,
          record.recordedAt,
          isVoided,
        ]);
    }
    await insertRows(
      tx,
      'report_days (record_id, date, checkpoint_id, device_id, recorded_at, figures, voided)',
      reports,
    );
    await insertRows(
      tx,
      'exits (record_id, pass_id, household_id, checkpoint_id, device_id, at, voided)',
      exits,
    );
    // Voids of what was filed before.
    for (const record of records)
      if (record.kind === 'void') {
        await tx.run('UPDATE report_days SET voided = 1 WHERE record_id = ?', [
          record.data.targetId,
        ]);
        await tx.run('UPDATE exits SET voided = 1 WHERE record_id = ?', [record.data.targetId]);
      }
  }

  /**
   * Files what the records already stored bring (a file made before these tables existed), a few
   * thousand records per transaction.
   */
  async fileStored(): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.db.all<{ id: string; body: string }>(
        `SELECT id, body FROM records WHERE kind IN ('daily-report', 'pass-scan') AND id > ?
         ORDER BY id LIMIT 5000`,
        [after],
      );
      if (rows.length === 0) return;
      await this.db.transaction(async (tx) => {
        await this.recordsStored(
          tx,
          rows.map((row) => JSON.parse(row.body) as KadianRecord),
        );
      });
      after = rows.at(-1)?.id ?? after;
    }
  }

  /** The day's daily reports not voided, as the roll-up reads them. */
  async reportsOn(date: string): Promise<ReportFigures[]> {
    const rows = await this.db.all<{
      record_id: string;
      checkpoint_id: string;
      device_id: string;
      recorded_at: number;
      figures: string;
    }>(
      `SELECT record_id, checkpoint_id, device_id, recorded_at, figures FROM report_days
       WHERE date = ? AND voided = 0`,
      [date],
    );
    return rows.map((row) => ({
      id: row.record_id,
      checkpointId: row.checkpoint_id,
      deviceId: row.device_id,
      recordedAt: row.recorded_at,
      data: { date, ...JSON.parse(row.figures) },
    }));
  }

  /**
   * Exits allowed at any gate between two moments (ms, inclusive), voided scans left out, of the
   * households with more than `over` of them in that time (the others cannot break a quota of
   * `over`).
   */
  async exits(from: number, to: number, over: number): Promise<Exit[]> {
    const rows = await this.db.all<{
      record_id: string;
      pass_id: string;
      household_id: string;
      checkpoint_id: string;
      device_id: string;
      at: number;
    }>(
      `SELECT record_id, pass_id, household_id, checkpoint_id, device_id, at FROM exits
       WHERE at BETWEEN ? AND ? AND voided = 0 AND household_id IN (
         SELECT household_id FROM exits WHERE at BETWEEN ? AND ? AND voided = 0
         GROUP BY household_id HAVING count(*) > ?)`,
      [from, to, from, to, over],
    );
    return rows.map((row) => ({
      recordId: row.record_id,
      passId: row.pass_id,
      householdId: row.household_id,
      checkpointId: row.checkpoint_id,
      deviceId: row.device_id,
      at: row.at,
    }));
  }
}
