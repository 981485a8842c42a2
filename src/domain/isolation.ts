// Home isolation's rules: a household is followed from day 1 for its period, checked in on every
// day up to a daily cutoff; a day past its cutoff without a check-in is missed; at the end of the
// period it is due for release, which needs a check-in on the last day. Pure: the records and the
// clock come in, the volunteer's list and the report's counts come out.
import { addDays, differenceInCalendarDays, parseISO } from 'date-fns';
import { deadlineOf, type IsolationSettings, type Rules } from './config';
import { localDay } from './day';
import type { KadianRecord, RecordOfKind } from './records';
import { isFever } from './temperature';

type Start = RecordOfKind<'isolation-start'>;
type CheckIn = RecordOfKind<'isolation-check-in'>;
type Extension = RecordOfKind<'isolation-extension'>;
type End = RecordOfKind<'isolation-end'>;

/** Check-ins a day, the daily cutoff and the default period, from the county's configuration. */
export interface IsolationRules extends IsolationSettings {
  feverThreshold: number;
}
export const DEFAULT_ISOLATION: IsolationSettings = {
  checkInsPerDay: 2,
  cutoff: '20:00',
  days: 14,
};

/** The isolation rules a device's rules set (the defaults where the office set none). */
export const isolationRules = (rules: Rules): IsolationRules => ({
  ...DEFAULT_ISOLATION,
  ...rules.isolation,
  feverThreshold: rules.feverThreshold,
});

/** A household's isolation as its records tell it. */
export interface Isolation {
  start: Start;
  checkIns: CheckIn[];
  extensions: Extension[];
  end?: End;
}

/** The calendar day `offset` days from `date` (YYYY-MM-DD, device time). */
const dayOf = (date: string, offset: number) => localDay(addDays(parseISO(date), offset).getTime());

/**
 * What is asked of an isolation again and again — its last day, the day it ended, its check-ins
 * by day — worked out once (again when a record was added to it): a county's dashboard asks it
 * of a thousand households for each of 28 days.
 */
interface Facts {
  of: string;
  lastDay: string;
  endDay?: string;
  byDay: Map<string, CheckIn[]>;
}
const known = new WeakMap<Isolation, Facts>();
function factsOf(isolation: Isolation): Facts {
  const of = `${isolation.checkIns.length}/${isolation.extensions.length}/${isolation.end?.id ?? ''}`;
  const before = known.get(isolation);
  if (before?.of === of) return before;
  const extended = [...isolation.extensions].sort((a, b) => b.recordedAt - a.recordedAt)[0];
  const byDay = new Map<string, CheckIn[]>();
  for (const checkIn of isolation.checkIns) {
    const day = localDay(checkIn.recordedAt);
    const list = byDay.get(day);
    if (list) list.push(checkIn);
    else byDay.set(day, [checkIn]);
  }
  const facts: Facts = {
    of,
    lastDay:
      extended?.data.lastDay ?? dayOf(isolation.start.data.startDay, isolation.start.data.days - 1),
    ...(isolation.end && { endDay: localDay(isolation.end.recordedAt) }),
    byDay,
  };
  known.set(isolation, facts);
  return facts;
}

/** The last day: day 1 plus the period, or the latest extension's. */
export const lastDay = (isolation: Isolation): string => factsOf(isolation).lastDay;

/** Which day of the isolation a calendar day is (day 1 is the start day). */
export const dayNumber = (isolation: Isolation, date: string) =>
  differenceInCalendarDays(parseISO(date), parseISO(isolation.start.data.startDay)) + 1;

/** The check-ins made on a calendar day (device time). */
export const checkInsOn = (isolation: Isolation, date: string): readonly CheckIn[] =>
  factsOf(isolation).byDay.get(date) ?? [];

export type IsolationState =
  /** Ended (released, with its outcome). */
  | 'ended'
  /** The last day is over (or today is the last day and checked in): release it. */
  | 'release-due'
  /** Past today's cutoff with no check-in: 未报, a door knock. */
  | 'missed'
  /** Checked in as often as asked today. */
  | 'done'
  /** Still to check in today. */
  | 'due';

/** Where a household stands at a moment, for the volunteer's list (due first, then missed, then done). */
export function isolationState(
  isolation: Isolation,
  now: number,
  rules: IsolationSettings,
): IsolationState {
  if (isolation.end) return 'ended';
  const today = localDay(now);
  const last = lastDay(isolation);
  const todays = checkInsOn(isolation, today).length;
  if (today > last || (today === last && todays > 0)) return 'release-due';
  if (todays >= rules.checkInsPerDay) return 'done';
  if (todays === 0 && now >= deadlineOf(today, rules.cutoff)) return 'missed';
  return 'due';
}

/** The days (from day 1 up to yesterday, or today once past its cutoff) without any check-in. */
export function missedDays(isolation: Isolation, now: number, rules: IsolationSettings): string[] {
  const today = localDay(now);
  const last = lastDay(isolation);
  const until = now >= deadlineOf(today, rules.cutoff) ? today : dayOf(today, -1);
  const missed: string[] = [];
  for (let day = isolation.start.data.startDay; day <= until && day <= last; day = dayOf(day, 1))
    if (checkInsOn(isolation, day).length === 0) missed.push(day);
  return missed;
}

/**
 * Missed on the last two days judged (today once past its cutoff, else yesterday, and the day
 * before): the household has gone quiet, and the office is told.
 */
export function missedTwoDaysRunning(isolation: Isolation, now: number, rules: IsolationSettings) {
  const today = localDay(now);
  const judged = now >= deadlineOf(today, rules.cutoff) ? today : dayOf(today, -1);
  return (
    missedOn(isolation, judged, now, rules) && missedOn(isolation, dayOf(judged, -1), now, rules)
  );
}

/** Release needs a check-in on the last day (a day the household was seen well to the end). */
export const mayRelease = (isolation: Isolation) =>
  checkInsOn(isolation, lastDay(isolation)).length > 0;

/** A check-in that raises the fever alert at once: a fever (measured or felt), or difficulty breathing. */
export const isSymptomatic = (readings: CheckIn['data']['readings'], feverThreshold: number) =>
  readings.some(
    (reading) =>
      isFever(reading.celsius, feverThreshold) ||
      reading.symptoms.some((symptom) => symptom === 'fever' || symptom === 'breathing'),
  );

/**
 * The isolations these records tell of (starts, their check-ins, extensions and ends, and voids of
 * any of them, in any order): what a void points at is left out, an isolation whose start was voided
 * with it; the records of an isolation whose start is not among them are passed over.
 */
export function isolationsOf(records: readonly KadianRecord[]): Isolation[] {
  const voided = new Set(
    records.flatMap((record) => (record.kind === 'void' ? [record.data.targetId] : [])),
  );
  const byId = new Map<string, Isolation>();
  const kept = records
    .filter((record) => !voided.has(record.id))
    .sort((a, b) => a.recordedAt - b.recordedAt);
  for (const record of kept)
    if (record.kind === 'isolation-start')
      byId.set(record.id, { start: record, checkIns: [], extensions: [] });
  for (const record of kept) {
    if (record.kind === 'isolation-check-in')
      byId.get(record.data.isolationId)?.checkIns.push(record);
    else if (record.kind === 'isolation-extension')
      byId.get(record.data.isolationId)?.extensions.push(record);
    else if (record.kind === 'isolation-end') {
      const isolation = byId.get(record.data.isolationId);
      if (isolation && !isolation.end) isolation.end = record;
    }
  }
  return [...byId.values()];
}

/** The day an isolation ended (device time), if it has. */
const endDay = (isolation: Isolation) => factsOf(isolation).endDay;

/** Followed on a day: started by then and not released before it (past its last day too, until released). */
const activeOn = (isolation: Isolation, date: string) =>
  isolation.start.data.startDay <= date && (endDay(isolation) ?? date) >= date;

/**
 * Missed on a day: followed that day within its period, not released that day, with no check-in,
 * and the day's cutoff has passed.
 */
export function missedOn(
  isolation: Isolation,
  date: string,
  now: number,
  rules: IsolationSettings,
) {
  if (!activeOn(isolation, date) || endDay(isolation) === date || date > lastDay(isolation))
    return false;
  if (checkInsOn(isolation, date).length > 0) return false;
  return date < localDay(now) || now >= deadlineOf(date, rules.cutoff);
}

/** A day's home-isolation figures, for the daily report and the receiver's roll-up. */
export interface IsolationCounts {
  /** Households followed that day (released that day included). */
  households: number;
  /** Of them, checked in at least once that day. */
  checkedIn: number;
  /** Past the cutoff without a check-in (未报). */
  missed: number;
  /** With a symptomatic check-in that day. */
  symptomatic: number;
  /** Released that day. */
  released: number;
}

export function isolationCounts(
  isolations: readonly Isolation[],
  date: string,
  now: number,
  rules: IsolationSettings,
): IsolationCounts {
  const counts = { households: 0, checkedIn: 0, missed: 0, symptomatic: 0, released: 0 };
  for (const isolation of isolations) {
    if (!activeOn(isolation, date)) continue;
    const today = checkInsOn(isolation, date);
    counts.households += 1;
    if (today.length > 0) counts.checkedIn += 1;
    else if (missedOn(isolation, date, now, rules)) counts.missed += 1;
    if (today.some((checkIn) => checkIn.data.symptomatic)) counts.symptomatic += 1;
    if (endDay(isolation) === date) counts.released += 1;
  }
  return counts;
}
