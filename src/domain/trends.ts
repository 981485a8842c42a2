// A place's figures day by day over a period, for the command centre's dashboard: each day is the
// day's roll-up (each device's latest report per checkpoint, voided ones left out), so a chart and
// the daily report never disagree. Pure: the receiver reads the figures, this adds them up.
import { type AlertSample, TAKE_WITHIN_MS } from './alerts';
import type { IsolationSettings } from './config';
import type { DailyCounts } from './daily-summary';
import { DAY_MS, dayBounds, localDay } from './day';
import { type Isolation, missedOn } from './isolation';
import {
  addCounts,
  emptyCounts,
  isUnder,
  type KnownCheckpoint,
  type ReportFigures,
  rollUp,
} from './roll-up';

/** The longest period a dashboard covers. */
export const MAX_PERIOD_DAYS = 92;

export interface TrendDay {
  date: string;
  totals: DailyCounts;
  /** Checkpoints that reported that day, of those expected. */
  reported: number;
  checkpoints: number;
  /** Fever alerts received that day: taken within two minutes, and not. */
  alerts: { inTime: number; late: number };
  /** Households in home isolation followed that day, and those that missed its check-in. */
  isolation: { households: number; missed: number };
}

export interface Trends {
  from: string;
  to: string;
  /** The viewer's place in the chain; none for the whole. */
  place?: string;
  days: TrendDay[];
  /** The period's sums. */
  totals: DailyCounts;
  alerts: { inTime: number; late: number };
  /** Check-ins missed in the period (a household missing two days counts twice). */
  missedCheckIns: number;
  /** The communities and checkpoints where something is wrong, the most wrong first. */
  attention: { communities: Attention[]; checkpoints: Attention[] };
}

/** What is wrong at a place over the period. */
export interface Attention {
  /** A community's name, or a checkpoint's id. */
  place: string;
  name: string;
  community: string;
  /** Days without a daily report (a community: its checkpoints' together). */
  missingDays: number;
  /** Fever alerts not taken within two minutes. */
  lateAlerts: number;
  /** Home-isolation check-ins missed. */
  missedCheckIns: number;
  /** Refusals in the period's last seven days and the seven before. */
  refusals: { before: number; last: number };
  /** Refusals rose: the last seven days half as many again as the seven before, and 5 more. */
  refusalsRising: boolean;
}

/** The items under each key, and an empty list for a key with none. */
function listsBy<T>(items: readonly T[], keyOf: (item: T) => string): (key: string) => T[] {
  const lists = new Map<string, T[]>();
  for (const item of items) {
    const list = lists.get(keyOf(item));
    if (list) list.push(item);
    else lists.set(keyOf(item), [item]);
  }
  return (key) => lists.get(key) ?? [];
}

/** The days from `from` to `to`, both included. */
export function periodDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = dayBounds(from)[0] + 12 * 3_600_000; localDay(at) <= to; at += DAY_MS)
    days.push(localDay(at));
  return days;
}

export function trends(
  from: string,
  to: string,
  known: readonly KnownCheckpoint[],
  reports: readonly ReportFigures[],
  samples: readonly AlertSample[],
  isolations: readonly Isolation[],
  { place, now, rules }: { place?: string; now: number; rules: IsolationSettings },
): Trends {
  const reportsOf = listsBy(reports, (report) => report.data.date);
  const samplesOf = listsBy(samples, (sample) => localDay(sample.receivedAt));
  const days = periodDays(from, to).map((date): TrendDay => {
    const day = rollUp(date, known, reportsOf(date), [], new Set(), {
      scope: place,
      alerts: { samples: samplesOf(date), now },
      isolation: { isolations, now, rules },
    });
    return {
      date,
      totals: day.totals,
      reported: day.reported,
      checkpoints: day.checkpoints,
      alerts: {
        inTime: day.alerts.alerts - day.alerts.notTakenInTime,
        late: day.alerts.notTakenInTime,
      },
      isolation: { households: day.isolation.households, missed: day.isolation.missed },
    };
  });
  return {
    from,
    to,
    ...(place !== undefined && { place }),
    attention: attentionOf(
      known,
      days.map((day) => day.date),
      reports,
      samples,
      isolations,
      { place, now, rules },
    ),
    days,
    totals: days.reduce((sum, day) => addCounts(sum, day.totals), emptyCounts()),
    alerts: {
      inTime: days.reduce((sum, day) => sum + day.alerts.inTime, 0),
      late: days.reduce((sum, day) => sum + day.alerts.late, 0),
    },
    missedCheckIns: days.reduce((sum, day) => sum + day.isolation.missed, 0),
  };
}

const UNKNOWN = '—';

/** Refusals rose: the last seven days half as many again as the seven before, and 5 more. */
const rising = ({ before, last }: { before: number; last: number }) =>
  last >= before * 1.5 && last - before >= 5;

/** The places of the period that need someone's attention, ranked (see Attention). */
function attentionOf(
  known: readonly KnownCheckpoint[],
  dates: string[],
  reports: readonly ReportFigures[],
  samples: readonly AlertSample[],
  isolations: readonly Isolation[],
  { place, now, rules }: { place?: string; now: number; rules: IsolationSettings },
): Trends['attention'] {
  const visible = known.filter((checkpoint) => place === undefined || isUnder(checkpoint, place));
  const reportsAt = listsBy(reports, (report) => report.checkpointId);
  const samplesAt = listsBy(samples, (sample) => sample.checkpointId);
  const isolationsAt = listsBy(isolations, (one) => one.start.data.responsible.checkpointId);
  const lastWeek = new Set(dates.slice(-7));
  const weekBefore = new Set(dates.slice(-14, -7));
  const checkpoints = visible.map((checkpoint): Attention => {
    // Each device's latest report of each day (as the day's totals count them).
    const latest = new Map<string, ReportFigures>();
    for (const report of reportsAt(checkpoint.id)) {
      const key = `${report.deviceId}/${report.data.date}`;
      const before = latest.get(key);
      if (!before || before.recordedAt <= report.recordedAt) latest.set(key, report);
    }
    const refusals = { before: 0, last: 0 };
    const reportedOn = new Set<string>();
    for (const report of latest.values()) {
      reportedOn.add(report.data.date);
      if (lastWeek.has(report.data.date)) refusals.last += report.data.counts.passesDenied;
      if (weekBefore.has(report.data.date)) refusals.before += report.data.counts.passesDenied;
    }
    return {
      place: checkpoint.id,
      name: checkpoint.name ?? checkpoint.id,
      community: checkpoint.community ?? UNKNOWN,
      missingDays: dates.filter((date) => !reportedOn.has(date)).length,
      lateAlerts: samplesAt(checkpoint.id).filter(
        (sample) => (sample.takenAt ?? now) - sample.receivedAt > TAKE_WITHIN_MS,
      ).length,
      missedCheckIns: isolationsAt(checkpoint.id).reduce(
        (sum, one) => sum + dates.filter((date) => missedOn(one, date, now, rules)).length,
        0,
      ),
      refusals,
      refusalsRising: rising(refusals),
    };
  });
  const communities = [...new Set(checkpoints.map((one) => one.community))].map(
    (community): Attention => {
      const under = checkpoints.filter((one) => one.community === community);
      const sum = (pick: (one: Attention) => number) =>
        under.reduce((total, one) => total + pick(one), 0);
      const refusals = {
        before: sum((one) => one.refusals.before),
        last: sum((one) => one.refusals.last),
      };
      return {
        place: community,
        name: community,
        community,
        missingDays: sum((one) => one.missingDays),
        lateAlerts: sum((one) => one.lateAlerts),
        missedCheckIns: sum((one) => one.missedCheckIns),
        refusals,
        refusalsRising: rising(refusals),
      };
    },
  );
  const wrong = (one: Attention) =>
    one.missingDays > 0 || one.lateAlerts > 0 || one.missedCheckIns > 0 || one.refusalsRising;
  const ranked = (list: Attention[]) =>
    list
      .filter(wrong)
      .sort(
        (a, b) =>
          b.missingDays - a.missingDays ||
          b.lateAlerts - a.lateAlerts ||
          b.missedCheckIns - a.missedCheckIns ||
          Number(b.refusalsRising) - Number(a.refusalsRising) ||
          a.place.localeCompare(b.place),
      );
  return { communities: ranked(communities), checkpoints: ranked(checkpoints) };
}
