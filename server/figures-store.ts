// What the roll-up and the quota flags read, kept as the records arrive so a read stays small
// however many records the database holds: each daily report's figures filed under its day, and
// each allowed exit of a household. A void marks what it voids (whichever of the two came first).
import { DAY_MS } from '../src/domain/day';
import type { Exit } from '../src/domain/quota-flags';
import type { KadianRecord } from '../src/domain/records';
import type { ReportFigures } from '../src/domain/roll-up';
import { type Database, insertRows, marks, type Sql } from './db';
import { underPlace } from './schema';

export class FiguresStore {
  /** The quota's window the exits are counted for, once read (see windowFor). */
  private window: number | undefined;
  private counting: { window: number; done: Promise<void> } | undefined;

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
        `SELECT kind, ref FROM records WHERE ref IN (${marks(ids)})`,
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
      'ON CONFLICT (record_id) DO NOTHING',
    );
    await insertRows(
      tx,
      'exits (record_id, pass_id, household_id, checkpoint_id, device_id, at, voided)',
      exits,
      'ON CONFLICT (record_id) DO NOTHING',
    );
    // Voids of what was filed before.
    const voids = records.flatMap((record) =>
      record.kind === 'void' ? [record.data.targetId] : [],
    );
    for (const target of voids) {
      await tx.run('UPDATE report_days SET voided = 1 WHERE record_id = ?', [target]);
      await tx.run('UPDATE exits SET voided = 1 WHERE record_id = ?', [target]);
    }
    // The households whose exits came or went: their windows are counted again.
    const touched = filed.flatMap((record) =>
      record.kind === 'pass-scan' && !voided.has(record.id)
        ? [{ household: record.data.householdId ?? '', at: record.recordedAt }]
        : [],
    );
    if (voids.length > 0)
      touched.push(
        ...(
          await tx.all<{ household_id: string; at: number }>(
            `SELECT household_id, at FROM exits WHERE record_id IN (${marks(voids)})`,
            voids,
          )
        ).map((row) => ({ household: row.household_id, at: row.at })),
      );
    await this.recount(tx, touched);
  }

  /** The quota's window (ms) the exits are counted for; 0 while the receiver has no quota. */
  private async windowMs(sql: Sql): Promise<number> {
    if (this.window === undefined) {
      const row = await sql.get<{ value: string }>(
        `SELECT value FROM settings WHERE name = 'exit_window_ms'`,
      );
      this.window = row ? Number(row.value) : 0;
    }
    return this.window;
  }

  /**
   * Counts again, for each exit of these households from the moment given to a window after it,
   * the household's exits in the window up to it (ties included): what the flags look for.
   */
  private async recount(tx: Sql, touched: { household: string; at: number }[]) {
    const window = await this.windowMs(tx);
    if (window === 0 || touched.length === 0) return;
    const from = new Map<string, number>();
    for (const { household, at } of touched)
      from.set(household, Math.min(from.get(household) ?? at, at));
    const households = [...from.keys()];
    const earliest = Math.min(...from.values());
    const latest = Math.max(...touched.map(({ at }) => at));
    const changed: [string, number][] = [];
    for (let start = 0; start < households.length; start += 200) {
      const some = households.slice(start, start + 200);
      const rows = await tx.all<{
        record_id: string;
        household_id: string;
        at: number;
        voided: number;
        in_window: number;
      }>(
        `SELECT record_id, household_id, at, voided, in_window FROM exits
         WHERE household_id IN (${marks(some)}) AND at BETWEEN ? AND ?`,
        [...some, earliest - window, latest + window],
      );
      for (const row of rows) {
        if (row.voided || row.at < (from.get(row.household_id) ?? 0)) continue;
        const count = rows.filter(
          (other) =>
            other.household_id === row.household_id &&
            !other.voided &&
            other.at >= row.at - window &&
            other.at <= row.at,
        ).length;
        if (count !== row.in_window) changed.push([row.record_id, count]);
      }
    }
    for (let start = 0; start < changed.length; start += 200) {
      const some = changed.slice(start, start + 200);
      await tx.run(
        `UPDATE exits SET in_window = CASE record_id ${some.map(() => 'WHEN ? THEN CAST(? AS INTEGER)').join(' ')} END
         WHERE record_id IN (${marks(some)})`,
        [...some.flat(), ...some.map(([id]) => id)],
      );
    }
  }

  /**
   * Counts every exit's window for a quota of `days`, unless it was counted so before (a change of
   * quota counts them all again, once). Exits stored from then on are counted as they arrive.
   */
  windowFor(days: number): Promise<void> {
    const window = days * DAY_MS;
    if (this.counting?.window !== window)
      this.counting = {
        window,
        done: this.db.transaction(async (tx) => {
          this.window = window;
          const row = await tx.get<{ value: string }>(
            `SELECT value FROM settings WHERE name = 'exit_window_ms'`,
          );
          if (row && Number(row.value) === window) return;
          await tx.run(
            `UPDATE exits SET in_window = (SELECT count(*) FROM exits x WHERE
               x.household_id = exits.household_id AND x.voided = 0 AND x.at BETWEEN exits.at - ? AND exits.at)`,
            [window],
          );
          await tx.run(
            `INSERT INTO settings (name, value) VALUES ('exit_window_ms', ?)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
            [String(window)],
          );
        }),
      };
    return this.counting.done;
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

  /**
   * The daily reports not voided of the days from `from` to `to` (both included), as the roll-up
   * reads them; with a place, its checkpoints'.
   */
  async reportsOn(from: string, to = from, place?: string): Promise<ReportFigures[]> {
    const under = underPlace('checkpoint_id', place);
    const rows = await this.db.all<{
      record_id: string;
      date: string;
      checkpoint_id: string;
      device_id: string;
      recorded_at: number;
      figures: string;
    }>(
      `SELECT record_id, date, checkpoint_id, device_id, recorded_at, figures FROM report_days
       WHERE date BETWEEN ? AND ? AND voided = 0 AND ${under.sql}`,
      [from, to, ...under.params],
    );
    return rows.map((row) => ({
      id: row.record_id,
      checkpointId: row.checkpoint_id,
      deviceId: row.device_id,
      recordedAt: row.recorded_at,
      data: { date: row.date, ...JSON.parse(row.figures) },
    }));
  }

  /**
   * The exits allowed at any gate from `from` to the end of the day of `[dayStart, dayEnd]`,
   * voided scans left out, of the households with an exit that day whose window holds more than
   * `over` (the others cannot break a quota of `over` that day). Call windowFor first.
   */
  async exitsOverQuota(
    from: number,
    [dayStart, dayEnd]: [number, number],
    over: number,
  ): Promise<Exit[]> {
    const households = (
      await this.db.all<{ household_id: string }>(
        `SELECT DISTINCT household_id FROM exits
         WHERE at BETWEEN ? AND ? AND voided = 0 AND in_window > ?`,
        [dayStart, dayEnd, over],
      )
    ).map((row) => row.household_id);
    const exits: Exit[] = [];
    for (let start = 0; start < households.length; start += 500) {
      const some = households.slice(start, start + 500);
      const rows = await this.db.all<{
        record_id: string;
        pass_id: string;
        household_id: string;
        checkpoint_id: string;
        device_id: string;
        at: number;
      }>(
        `SELECT record_id, pass_id, household_id, checkpoint_id, device_id, at FROM exits
         WHERE household_id IN (${marks(some)}) AND at BETWEEN ? AND ? AND voided = 0`,
        [...some, from, dayEnd],
      );
      for (const row of rows)
        exits.push({
          recordId: row.record_id,
          passId: row.pass_id,
          householdId: row.household_id,
          checkpointId: row.checkpoint_id,
          deviceId: row.device_id,
          at: row.at,
        });
    }
    return exits;
  }
}
