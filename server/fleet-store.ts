// The office's gates in the receiver's file: what each device last reported of itself (nothing
// personal), and the configurations the office published for them (signed codes, newest per key).
import type Database from 'better-sqlite3';
import type { DeviceStatus } from '../src/domain/device-status';

export const FLEET_SCHEMA = `
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    checkpoint_id TEXT NOT NULL,
    last_contact INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    pending INTEGER NOT NULL,
    clock_skew_ms INTEGER,
    config_at INTEGER
  );
  CREATE TABLE IF NOT EXISTS stopped_devices (
    device_id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    lost INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS roster (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    from_at INTEGER NOT NULL,
    to_at INTEGER NOT NULL,
    added_by TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS roster_place ON roster (place, to_at);
  CREATE TABLE IF NOT EXISTS configs (
    kid TEXT NOT NULL,
    at INTEGER NOT NULL,
    code TEXT NOT NULL,
    published_by TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (kid, at)
  );
`;

/** Who is on duty for a place in the chain (a community, township or county) from–to (ms). */
export interface RosterEntry {
  place: string;
  name: string;
  phone: string;
  from: number;
  to: number;
}

export interface DeviceRow extends DeviceStatus {
  checkpointName?: string;
  place: { county?: string; township?: string; community?: string };
  lastContact: number;
}

export class FleetStore {
  constructor(private readonly db: Database.Database) {
    db.exec(FLEET_SCHEMA);
  }

  report(report: DeviceStatus, now: number): void {
    this.db
      .prepare(
        `INSERT INTO devices (device_id, checkpoint_id, last_contact, app_version, pending, clock_skew_ms, config_at)
         VALUES (@deviceId, @checkpointId, @now, @appVersion, @pending, @clockSkewMs, @configAt)
         ON CONFLICT (device_id) DO UPDATE SET checkpoint_id = @checkpointId, last_contact = @now,
           app_version = @appVersion, pending = @pending, clock_skew_ms = @clockSkewMs, config_at = @configAt`,
      )
      .run({ clockSkewMs: null, configAt: null, ...report, now });
  }

  /** Every device that ever reported, with its checkpoint's place; `place` narrows to one place. */
  devices(place?: string): DeviceRow[] {
    const rows = this.db
      .prepare(
        `SELECT d.*, c.name AS checkpoint_name, c.county, c.township, c.community
         FROM devices d LEFT JOIN checkpoints c ON c.id = d.checkpoint_id
         WHERE ? IS NULL OR c.county = ? OR c.township = ? OR c.community = ?
         ORDER BY d.checkpoint_id, d.device_id`,
      )
      .all(place ?? null, place ?? null, place ?? null, place ?? null) as {
      device_id: string;
      checkpoint_id: string;
      last_contact: number;
      app_version: string;
      pending: number;
      clock_skew_ms: number | null;
      config_at: number | null;
      checkpoint_name: string | null;
      county: string | null;
      township: string | null;
      community: string | null;
    }[];
    return rows.map((row) => ({
      deviceId: row.device_id,
      checkpointId: row.checkpoint_id,
      ...(row.checkpoint_name && { checkpointName: row.checkpoint_name }),
      place: Object.fromEntries(
        Object.entries({
          county: row.county,
          township: row.township,
          community: row.community,
        }).filter(([, value]) => value !== null),
      ),
      lastContact: row.last_contact,
      appVersion: row.app_version,
      pending: row.pending,
      ...(row.clock_skew_ms !== null && { clockSkewMs: row.clock_skew_ms }),
      ...(row.config_at !== null && { configAt: row.config_at }),
    }));
  }

  /**
   * Stops a device: every token bound to it is revoked at once, and its next request is told so
   * (as lost, its data not to be recovered, when the office says so). Resolves to how many tokens.
   */
  stop(deviceId: string, lost: boolean, by: string, now: number): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO stopped_devices (device_id, at, by, lost) VALUES (?, ?, ?, ?)
           ON CONFLICT (device_id) DO UPDATE SET at = excluded.at, by = excluded.by, lost = excluded.lost`,
        )
        .run(deviceId, now, by, lost ? 1 : 0);
      return this.db
        .prepare('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL')
        .run(now, deviceId).changes;
    })();
  }

  /** Whether the device a token was bound to has been stopped, and as lost. */
  stoppedFor(tokenHash: string): { lost: boolean } | undefined {
    const row = this.db
      .prepare(
        `SELECT s.lost FROM tokens t JOIN stopped_devices s ON s.device_id = t.device_id
         WHERE t.token_hash = ?`,
      )
      .get(tokenHash) as { lost: number } | undefined;
    return row && { lost: row.lost === 1 };
  }

  addToRoster(entry: RosterEntry, by: string): number {
    return Number(
      this.db
        .prepare(
          'INSERT INTO roster (place, name, phone, from_at, to_at, added_by) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(entry.place, entry.name, entry.phone, entry.from, entry.to, by).lastInsertRowid,
    );
  }

  /** A place's roster from `from` on (entries not over by then), in time order. */
  roster(place: string, from: number): (RosterEntry & { id: number })[] {
    return (
      this.db
        .prepare(
          'SELECT id, place, name, phone, from_at, to_at FROM roster WHERE place = ? AND to_at > ? ORDER BY from_at, id',
        )
        .all(place, from) as {
        id: number;
        place: string;
        name: string;
        phone: string;
        from_at: number;
        to_at: number;
      }[]
    ).map(({ from_at, to_at, ...row }) => ({ ...row, from: from_at, to: to_at }));
  }

  /** Who is on duty for a place at a moment: of the entries on then, the latest to start. */
  onDuty(place: string | undefined, at: number): { name: string; phone: string } | undefined {
    if (place === undefined) return undefined;
    return this.db
      .prepare(
        'SELECT name, phone FROM roster WHERE place = ? AND from_at <= ? AND to_at > ? ORDER BY from_at DESC, id DESC LIMIT 1',
      )
      .get(place, at, at) as { name: string; phone: string } | undefined;
  }

  /** Keeps a published configuration; publishing the same one again changes nothing. */
  publishConfig(kid: string, at: number, code: string, by: string, now: number): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO configs (kid, at, code, published_by, received_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(kid, at, code, by, now);
  }

  /** The newest configuration signed by each of these keys. */
  latestConfigs(kids: string[]): string[] {
    const newest = this.db.prepare(
      'SELECT code FROM configs WHERE kid = ? ORDER BY at DESC LIMIT 1',
    );
    return kids.flatMap((kid) => {
      const row = newest.get(kid) as { code: string } | undefined;
      return row ? [row.code] : [];
    });
  }
}
