// What each record counts as in the daily report, kept beside it as an index key. Pure.
import type { KadianRecord } from './records';

/**
 * What a record counts as in the daily report: `scan/in/allowed`, `scan/denied/quota`,
 * `temperature/fever/again` (a re-measurement), `visitor-in`, … A day's figures are kept per tally
 * (and the records the report shows in full are found by theirs).
 */
export function tallyOf(record: KadianRecord): string {
  switch (record.kind) {
    case 'pass-scan':
      return record.data.verdict === 'denied'
        ? `scan/denied/${record.data.reason}`
        : `scan/${record.data.direction}/${record.data.verdict}`;
    case 'temperature':
      return `temperature/${record.data.fever ? 'fever' : 'normal'}${record.data.remeasureOf ? '/again' : ''}`;
    default:
      return record.kind;
  }
}

/** An allowed exit's tally: what a household's quota counts. */
export const EXIT_TALLY = 'scan/out/allowed';

/**
 * The records of a day the report reads in full (few): fevers and re-measurements (a person's
 * last reading decides), their follow-ups, visitors, shifts.
 */
export const READ_TALLIES = [
  'temperature/fever',
  'temperature/fever/again',
  'temperature/normal/again',
  'fever-follow-up',
  'visitor-in',
  'shift',
];

/** The records the report lists or follows one by one: those it reads in full, and departures. */
export const LISTED_TALLIES = [...READ_TALLIES, 'visitor-out'];
