// The office's gates in the receiver's database: what each device last reported of itself (nothing
// personal), and the configurations the office published for them (signed codes, newest per key).
import type { DeviceStatus } from '../src/domain/device-status';
import type { Database } from './db';

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
  constructor(private readonly db: Database) {}

  async report(report: DeviceStatus, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO devices (device_id, checkpoint_id, last_contact, app_version, pending, clock_skew_ms, config_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET checkpoint_id = excluded.checkpoint_id,
         last_contact = excluded.last_contact, app_version = excluded.app_version,
         pending = excluded.pending, clock_skew_ms = excluded.clock_skew_ms, config_at = excluded.config_at`,
      [
        report.deviceId,
        report.checkpointId,
        now,
        report.appVersion,
        report.pending,
        report.clockSkewMs,
        report.configAt,
      ],
    );
  }

  /** Every device that ever reported, with its checkpoint's place; `place` narrows to one place. */
  async devices(place?: string): Promise<DeviceRow[]> {
    const rows = await this.db.all<{
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
    }>(
      `SELECT d.*, c.name AS checkpoint_name, c.county, c.township, c.community
       FROM devices d LEFT JOIN checkpoints c ON c.id = d.checkpoint_id
       ${place === undefined ? '' : 'WHERE c.county = ? OR c.township = ? OR c.community = ?'}
       ORDER BY d.checkpoint_id, d.device_id`,
      place === undefined ? [] : [place, place, place],
    );
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
  stop(deviceId: string, lost: boolean, by: string, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO stopped_devices (device_id, at, by, lost) VALUES (?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET at = excluded.at, by = excluded.by, lost = excluded.lost`,
        [deviceId, now, by, lost ? 1 : 0],
      );
      return tx.run('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL', [
        now,
        deviceId,
      ]);
    });
  }

  /** Whether the device a token was bound to has been stopped, and as lost. */
  async stoppedFor(tokenHash: string): Promise<{ lost: boolean } | undefined> {
    const row = await this.db.get<{ lost: number }>(
      `SELECT s.lost FROM tokens t JOIN stopped_devices s ON s.device_id = t.device_id
       WHERE t.token_hash = ?`,
      [tokenHash],
    );
    return row && { lost: row.lost === 1 };
  }

  async addToRoster(entry: RosterEntry, by: string): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO roster (place, name, phone, from_at, to_at, added_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [entry.place, entry.name, entry.phone, entry.from, entry.to, by],
    );
    return row?.id ?? 0;
  }

  /** A place's roster from `from` on (entries not over by then), in time order. */
  async roster(place: string, from: number): Promise<(RosterEntry & { id: number })[]> {
    return (
      await this.db.all<{
        id: number;
        place: string;
        name: string;
        phone: string;
        from_at: number;
        to_at: number;
      }>(
        'SELECT id, place, name, phone, from_at, to_at FROM roster WHERE place = ? AND to_at > ? ORDER BY from_at, id',
        [place, from],
      )
    ).map(({ from_at, to_at, ...row }) => ({ ...row, from: from_at, to: to_at }));
  }

  /** Who is on duty for a place at a moment: of the entries on then, the latest to start. */
  async onDuty(
    place: string | undefined,
    at: number,
  ): Promise<{ name: string; phone: string } | undefined> {
    if (place === undefined) return undefined;
    return this.db.get<{ name: string; phone: string }>(
      'SELECT name, phone FROM roster WHERE place = ? AND from_at <= ? AND to_at > ? ORDER BY from_at DESC, id DESC LIMIT 1',
      [place, at, at],
    );
  }

  /** Keeps a published configuration; publishing the same one again changes nothing. */
  async publishConfig(kid: string, at: number, code: string, by: string, now: number) {
    await this.db.run(
      `INSERT INTO configs (kid, at, code, published_by, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kid, at) DO NOTHING`,
      [kid, at, code, by, now],
    );
  }

  /** The newest configuration signed by each of these keys. */
  async latestConfigs(kids: string[]): Promise<string[]> {
    const newest = await Promise.all(
      kids.map((kid) =>
        this.db.get<{ code: string }>(
          'SELECT code FROM configs WHERE kid = ? ORDER BY at DESC LIMIT 1',
          [kid],
        ),
      ),
    );
    return newest.flatMap((row) => (row ? [row.code] : []));
  }
}
