// Home isolation's rules: a household is followed from day 1 for its period, checked in on every
// day up to a daily cutoff; a day past its cutoff without a check-in is missed; at the end of the
// period it is due for release, which needs a check-in on the last day. Pure: the records and the
// clock come in, the volunteer's list and the report's counts come out.
import { addDays, differenceInCalendarDays, parseISO } from 'date-fns';
import { deadlineOf } from './config';
import { localDay } from './day';
import type { RecordOfKind } from './records';

type Start = RecordOfKind<'isolation-start'>;
type CheckIn = RecordOfKind<'isolation-check-in'>;
type Extension = RecordOfKind<'isolation-extension'>;
type End = RecordOfKind<'isolation-end'>;

/** Check-ins a day and the daily cutoff, from the county's configuration (defaults: 2, 20:00). */
export interface IsolationRules {
  checkInsPerDay: number;
  cutoff: string;
  feverThreshold: number;
}
export const DEFAULT_ISOLATION = { checkInsPerDay: 2, cutoff: '20:00', days: 14 } as const;

/** A household's isolation as its records tell it. */
export interface Isolation {
  start: Start;
  checkIns: CheckIn[];
  extensions: Extension[];
  end?: End;
}

/** The calendar day `offset` days from `date` (YYYY-MM-DD, device time). */
const dayOf = (date: string, offset: number) => localDay(addDays(parseISO(date), offset).getTime());

/** The last day: day 1 plus the period, or the latest extension's. */
export function lastDay(isolation: Isolation): string {
  const extended = [...isolation.extensions].sort((a, b) => b.recordedAt - a.recordedAt)[0];
  return (
    extended?.data.lastDay ?? dayOf(isolation.start.data.startDay, isolation.start.data.days - 1)
  );
}

/** Which day of the isolation a calendar day is (day 1 is the start day). */
export const dayNumber = (isolation: Isolation, date: string) =>
  differenceInCalendarDays(parseISO(date), parseISO(isolation.start.data.startDay)) + 1;

/** The check-ins made on a calendar day (device time). */
export const checkInsOn = (isolation: Isolation, date: string) =>
  isolation.checkIns.filter((checkIn) => localDay(checkIn.recordedAt) === date);

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
  rules: IsolationRules,
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
export function missedDays(isolation: Isolation, now: number, rules: IsolationRules): string[] {
  const today = localDay(now);
  const last = lastDay(isolation);
  const until = now >= deadlineOf(today, rules.cutoff) ? today : dayOf(today, -1);
  const missed: string[] = [];
  for (let day = isolation.start.data.startDay; day <= until && day <= last; day = dayOf(day, 1))
    if (checkInsOn(isolation, day).length === 0) missed.push(day);
  return missed;
}

/** Missed on two days running, ending with the latest missed day: the office is told. */
export function missedTwoDaysRunning(isolation: Isolation, now: number, rules: IsolationRules) {
  const missed = missedDays(isolation, now, rules);
  return missed.some((day, i) => i > 0 && missed[i - 1] === dayOf(day, -1));
}

/** Release needs a check-in on the last day (a day the household was seen well to the end). */
export const mayRelease = (isolation: Isolation) =>
  checkInsOn(isolation, lastDay(isolation)).length > 0;

/** A check-in that raises the fever alert at once: a fever, or difficulty breathing. */
export const isSymptomatic = (checkIn: CheckIn, feverThreshold: number) =>
  checkIn.data.readings.some(
    (reading) => reading.celsius >= feverThreshold || reading.symptoms.includes('breathing'),
  );
