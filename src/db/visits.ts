// A visitor's stay at a checkpoint, kept beside the records as they are saved: when they came, the
// departures recorded for them (a departure's own void takes it back), whether the arrival was
// voided, and the days at whose end they were inside. "Still inside at a day's end" then reads a
// few small rows, not every visitor's records.
import type { Table } from 'dexie';
import { dayBounds, localDay } from '../domain/day';
import type { StoredRecord, Visit } from './database';

/** What of a stored record the visits need. */
export type Visited = Pick<
  StoredRecord,
  'id' | 'kind' | 'checkpointId' | 'recordedAt' | 'targetId'
>;

/**
 * Applies records being saved to the visits, in the transaction that saves them: arrivals open a
 * visit, departures join it, a void closes an arrival for good or takes a departure back. `targets`
 * holds what the voids point at (being saved or stored).
 */
export async function applyToVisits(
  visits: Table<Visit, string>,
  rows: readonly Visited[],
  targets: ReadonlyMap<string, Visited>,
): Promise<void> {
  const visitOf = (row: Visited | undefined) =>
    row?.kind === 'visitor-in' ? row.id : row?.kind === 'visitor-out' ? row.targetId : undefined;
  const touched = new Set<string>();
  for (const row of rows) {
    const id = row.kind === 'void' ? visitOf(targets.get(row.targetId ?? '')) : visitOf(row);
    if (id) touched.add(id);
  }
  if (touched.size === 0) return;
  const ids = [...touched];
  const found = await visits.bulkGet(ids);
  const byId = new Map(ids.flatMap((id, i) => (found[i] ? [[id, found[i] as Visit]] : [])));
  for (const row of rows) {
    if (row.kind === 'visitor-in')
      byId.set(row.id, {
        id: row.id,
        checkpointId: row.checkpointId,
        arrivedAt: row.recordedAt,
        departures: [],
        voided: false,
        leftAt: NOT_LEFT,
        nights: [],
      });
    else if (row.kind === 'visitor-out') {
      const visit = byId.get(row.targetId ?? '');
      visit?.departures.push({ id: row.id, at: row.recordedAt });
    } else if (row.kind === 'void') {
      const target = targets.get(row.targetId ?? '');
      const visit = byId.get(visitOf(target) ?? '');
      if (!visit || !target) continue;
      if (target.kind === 'visitor-in') visit.voided = true;
      else visit.departures = visit.departures.filter((departure) => departure.id !== target.id);
    }
  }
  await visits.bulkPut(
    [...byId.values()].map((visit) => {
      const left = { ...visit, leftAt: leftAt(visit) };
      return { ...left, nights: nightsOf(left) };
    }),
  );
}

/** Still inside: the `leftAt` of a visit nobody has left (indexable, unlike undefined). */
export const NOT_LEFT = Number.MAX_SAFE_INTEGER;

/** When the visitor left (the first departure not voided); 0 for a voided arrival: nobody came. */
function leftAt(visit: Visit): number {
  if (visit.voided) return 0;
  return Math.min(NOT_LEFT, ...visit.departures.map((departure) => departure.at));
}

/** Whether a visit had a visitor inside at `moment` (ms): came by then, neither left nor voided. */
export const insideAt = (visit: Visit, moment: number) =>
  visit.arrivedAt <= moment && visit.leftAt > moment;

/**
 * The checkpoint-days at whose end the visitor was inside, for a visit that has ended: each
 * device-local day from the arrival's up to the one the visitor left on (not that one). None while
 * the visitor is still inside (found by NOT_LEFT) or for a voided arrival.
 */
export function nightsOf(visit: Omit<Visit, 'nights'>): [string, string][] {
  if (visit.leftAt === NOT_LEFT) return [];
  const nights: [string, string][] = [];
  for (let day = localDay(visit.arrivedAt); dayBounds(day)[1] < visit.leftAt; ) {
    nights.push([visit.checkpointId, day]);
    day = localDay(dayBounds(day)[1] + 1);
  }
  return nights;
}
