// The fevers' alert lane on the device (see ExpressEntry), and the alerts' states as the receiver
// reported them.
import type { PulledAlert } from '../domain/alerts';
import { DAY_MS } from '../domain/day';
import type { ExpressEntry, KadianDB } from './database';

/** The alert lane's records the endpoint does not have yet, oldest first. */
export async function expressPending(db: KadianDB): Promise<ExpressEntry[]> {
  const entries = await db.express.filter((entry) => entry.deliveredAt === undefined).toArray();
  return entries.sort((a, b) => a.frozenAt - b.frozenAt);
}

/** The endpoint has the record (stored now, or known already). */
export async function markDelivered(db: KadianDB, recordId: string, at: number): Promise<void> {
  await db.express.update(recordId, { deliveredAt: at });
}

export async function countExpressAttempt(db: KadianDB, entry: ExpressEntry): Promise<void> {
  await db.express.update(entry.recordId, { attempts: entry.attempts + 1 });
}

/** Keeps what the receiver says of alerts (the newest state of each replaces the one before). */
export async function saveAlerts(db: KadianDB, alerts: PulledAlert[]): Promise<void> {
  await db.alerts.bulkPut(alerts);
}

/** When the receiver first had each of these records, where this device knows it. */
export async function deliveredAt(db: KadianDB, ids: string[]): Promise<Map<string, number>> {
  const entries = await db.express.bulkGet(ids);
  return new Map(
    entries.flatMap((entry) =>
      entry?.deliveredAt === undefined ? [] : [[entry.recordId, entry.deliveredAt]],
    ),
  );
}

/**
 * Whether the gate is still waiting to hear about one of its alerts of the last day: a fever's
 * record not delivered yet, or an alert the receiver has not closed.
 */
export async function alertsToWatch(db: KadianDB, now: number): Promise<boolean> {
  const entries = await db.express.toArray();
  for (const entry of entries) {
    if (entry.deliveredAt === undefined) return true;
    const { record } = entry;
    // An alert is named by a fever's first reading, or a symptomatic isolation check-in.
    const opens =
      (record.kind === 'temperature' && !record.data.remeasureOf) ||
      record.kind === 'isolation-check-in';
    if (!opens || now - entry.frozenAt > DAY_MS) continue;
    if (!(await db.alerts.get(record.id))?.closed) return true;
  }
  return false;
}

/** What the gate knows of one alert: when the receiver had its first reading, what it reported. */
export async function alertKnown(
  db: KadianDB,
  alertId: string,
): Promise<{ deliveredAt?: number; pulled?: PulledAlert }> {
  const [entry, pulled] = await Promise.all([db.express.get(alertId), db.alerts.get(alertId)]);
  return {
    ...(entry?.deliveredAt !== undefined && { deliveredAt: entry.deliveredAt }),
    ...(pulled && { pulled }),
  };
}
