// The receiver's audit log: who opened personal data, took or closed an alert, made or revoked a
// token, made an enrolment code, published a configuration. Rows are only ever added; the
// database itself refuses to change one, or to remove one younger than the retention period.
import type Database from 'better-sqlite3';

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
    private readonly db: Database.Database,
    private readonly retentionDays: number,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT
      );
      CREATE TRIGGER IF NOT EXISTS audit_kept BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is never edited'); END;
      DROP TRIGGER IF EXISTS audit_young;
      CREATE TRIGGER audit_young BEFORE DELETE ON audit
        WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - ${Math.floor(retentionDays)} * ${DAY_MS}
        BEGIN SELECT RAISE(ABORT, 'the audit log keeps its rows for the retention period'); END;
    `);
  }

  record(entry: AuditEntry): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor, entry.action, entry.subject, entry.detail ?? null);
  }

  /** The newest entries first. */
  entries(limit = 1000): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT at, actor, action, subject, detail FROM audit ORDER BY seq DESC LIMIT ?')
      .all(limit) as (Omit<AuditEntry, 'detail'> & { detail: string | null })[];
    return rows.map(({ detail, ...row }) => ({ ...row, ...(detail !== null && { detail }) }));
  }

  /** Removes the entries older than the retention period. */
  purge(now: number): number {
    return this.db.prepare('DELETE FROM audit WHERE at < ?').run(now - this.retentionDays * DAY_MS)
      .changes;
  }
}
