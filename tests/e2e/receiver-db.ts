import Database from 'better-sqlite3';
import { E2E_DATABASE } from '../../playwright.config';

/** What the end-to-end receiver stored for one device: rows, and distinct record ids among them. */
export function storedFor(
  deviceId: string,
  file = E2E_DATABASE,
): { rows: number; distinct: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const counts = db
      .prepare(
        'SELECT count(*) AS total, count(DISTINCT id) AS ids FROM records WHERE device_id = ?',
      )
      .get(deviceId) as { total: number; ids: number };
    return { rows: counts.total, distinct: counts.ids };
  } finally {
    db.close();
  }
}

/** The records the end-to-end receiver stored for one device, exactly as it keeps them. */
export function storedBodies(deviceId: string): string[] {
  const db = new Database(E2E_DATABASE, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare('SELECT body FROM records WHERE device_id = ?').all(deviceId) as { body: string }[]
    ).map((row) => row.body);
  } finally {
    db.close();
  }
}
