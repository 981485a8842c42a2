// A place's figures day by day over a period, for the command centre's dashboard: each day is the
// day's roll-up (each device's latest report per checkpoint, voided ones left out), so a chart and
// the daily report never disagree. Pure: the receiver reads the figures, this adds them up.
import type { AlertSample } from './alerts';
import type { DailyCounts } from './daily-summary';
import { DAY_MS, dayBounds, localDay } from './day';
import {
  addCounts,
  emptyCounts,
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
  { place, now }: { place?: string; now: number },
): Trends {
  const reportsOf = new Map<string, ReportFigures[]>();
  for (const report of reports) {
    const list = reportsOf.get(report.data.date);
    if (list) list.push(report);
    else reportsOf.set(report.data.date, [report]);
  }
  const samplesOf = new Map<string, AlertSample[]>();
  for (const sample of samples) {
    const date = localDay(sample.receivedAt);
    const list = samplesOf.get(date);
    if (list) list.push(sample);
    else samplesOf.set(date, [sample]);
  }
  const days = periodDays(from, to).map((date): TrendDay => {
    const day = rollUp(date, known, reportsOf.get(date) ?? [], [], new Set(), {
      scope: place,
      alerts: { samples: samplesOf.get(date) ?? [], now },
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
    };
  });
  return {
    from,
    to,
    ...(place !== undefined && { place }),
    days,
    totals: days.reduce((sum, day) => addCounts(sum, day.totals), emptyCounts()),
    alerts: {
      inTime: days.reduce((sum, day) => sum + day.alerts.inTime, 0),
      late: days.reduce((sum, day) => sum + day.alerts.late, 0),
    },
  };
}
