// The receiver's audit log: who opened personal data, took or closed an alert, made or revoked a
// token, made an enrolment code, published a configuration. Rows are only ever added; the
// database itself refuses to change one, or to remove one younger than the retention period
// (schema.ts).
import type { Database, Sql } from './db';

export interface AuditEntry {
  at: number;
  /** Who: a token's label (the person on duty's name with it), or "command line". */
  actor: string;
  action:
    | 'personal-data-opened'
    | 'alert-taken'
    | 'alert-closed'
    | 'token-created'
    | 'token-revoked'
    | 'enrolment-made'
    | 'config-published'
    | 'roster-changed';
  /** What it was done to: a day of visitors, an alert, a token's label, a checkpoint, a key. */
  subject: string;
  detail?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly retentionDays: number,
  ) {}

  /** Adds an entry (inside the transaction of what it tells of, when there is one). */
  async record(entry: AuditEntry, sql: Sql = this.db): Promise<void> {
    await sql.run('INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)', [
      entry.at,
      entry.actor,
      entry.action,
      entry.subject,
      entry.detail,
    ]);
  }

  /** The newest entries first. */
  async entries(limit = 1000): Promise<AuditEntry[]> {
    const rows = await this.db.all<Omit<AuditEntry, 'detail'> & { detail: string | null }>(
      'SELECT at, actor, action, subject, detail FROM audit ORDER BY seq DESC LIMIT ?',
      [limit],
    );
    return rows.map(({ detail, ...row }) => ({ ...row, ...(detail !== null && { detail }) }));
  }

  /** Removes the entries older than the retention period. */
  purge(now: number): Promise<number> {
    return this.db.run('DELETE FROM audit WHERE at < ?', [now - this.retentionDays * DAY_MS]);
  }
}
