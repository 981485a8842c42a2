// Which fevers still wait for the volunteer: a person whose last reading is a fever and for whom
// neither a referral nor a home isolation is recorded. Pure; the gate shows them until handled.
import type { Of } from './daily-summary';
import { readingChains } from './readings';

export interface PendingFever {
  /** The person's first reading (follow-ups and re-measurements point at it). */
  first: Of<'temperature'>;
  /** The person's last reading, a fever. */
  last: Of<'temperature'>;
}

/** What settles a fever for the gate: the person was handed on (re-measuring alone does not). */
const SETTLING: ReadonlySet<string> = new Set(['referred', 'isolated']);

/** The fevers among these readings that no settling follow-up covers, oldest first. */
export function pendingFevers(
  readings: readonly Of<'temperature'>[],
  followUps: readonly Of<'fever-follow-up'>[],
): PendingFever[] {
  const settled = new Set(
    followUps
      .filter((followUp) => SETTLING.has(followUp.data.action))
      .map((followUp) => followUp.data.temperatureId),
  );
  return [...readingChains(readings)].flatMap(([root, chain]) => {
    const [first] = chain;
    const last = chain.at(-1);
    if (!first || !last?.data.fever) return [];
    // The root too: the first reading may be older than the readings read.
    const handled = settled.has(root) || chain.some((reading) => settled.has(reading.id));
    return handled ? [] : [{ first, last }];
  });
}
