// Reading home isolations (see isolation-rows.ts): the isolation screens and the daily report.
import Dexie from 'dexie';
import { isolationsOf } from '../domain/isolation';
import type { KadianDB } from './database';

/**
 * The isolations a checkpoint is responsible for (every one this device has, for the office),
 * ended ones included (the list filters).
 */
export async function readIsolations(db: KadianDB, checkpointId?: string) {
  const rows = await db.isolations.toArray();
  return isolationsOf(rows.map((row) => row.record)).filter(
    (isolation) =>
      checkpointId === undefined || isolation.start.data.responsible.checkpointId === checkpointId,
  );
}

/**
 * What a fever's first reading tells a new isolation: the person's name, and the household of the
 * pass it was taken against (from the pass's latest scan here).
 */
export async function feverHousehold(
  db: KadianDB,
  feverId: string,
): Promise<{ name?: string; householdId?: string; celsius?: number }> {
  const row = await db.records.get(feverId);
  if (row?.record.kind !== 'temperature') return {};
  const { subject, celsius } = row.record.data;
  const scan =
    subject.type === 'pass' && subject.ref
      ? await db.records
          .where('[passId+recordedAt]')
          .between([subject.ref, Dexie.minKey], [subject.ref, Dexie.maxKey])
          .last()
      : undefined;
  return {
    ...(subject.name && { name: subject.name }),
    ...(scan?.householdId && { householdId: scan.householdId }),
    celsius,
  };
}
