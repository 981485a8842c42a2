// A person's temperature readings, kept together: the gate's pending fevers and the day's report
// both read them this way. Pure.
import type { KadianRecord } from './records';

type Reading = Extract<KadianRecord, { kind: 'temperature' }>;

/**
 * A person's readings: the first, then the re-measurements pointing at it, in time order; keyed by
 * the first reading's id. The last reading of a chain decides whether the person has a fever.
 */
export function readingChains(readings: readonly Reading[]): Map<string, Reading[]> {
  const chains = new Map<string, Reading[]>();
  for (const reading of [...readings].sort((a, b) => a.recordedAt - b.recordedAt)) {
    const root = reading.data.remeasureOf ?? reading.id;
    chains.set(root, [...(chains.get(root) ?? []), reading]);
  }
  return chains;
}
