// What each record counts as in the daily report, kept beside it as an index key. Pure.
import { DENIAL_REASONS, type KadianRecord } from './records';

/**
 * What a record counts as in the daily report, kept as an index key beside it so a day's figures
 * are counted without reading the records: `scan/in/allowed`, `scan/denied/quota`,
 * `temperature/fever/again` (a re-measurement), `visitor-in`, …
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

/**
 * What the report counts, each a prefix of tallies (one index range, one count() each): passes let
 * in, let out, refused for each reason, and every temperature taken.
 */
export const COUNTED_PREFIXES = [
  'scan/in/',
  'scan/out/',
  ...DENIAL_REASONS.map((reason) => `scan/denied/${reason}`),
  'temperature/',
];

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
