// The daily zero-report of one device at one checkpoint: what happened on a device-local day,
// counted from the day's tallies (see tally.ts) and the few records it shows in full. Pure.
import type * as z from 'zod/mini';
import type { Place } from './config';
import { dayBounds } from './day';
import type { IsolationCounts } from './isolation';
import { readingChains } from './readings';
import {
  type DailyReportData,
  DENIAL_REASONS,
  type DenialReason,
  type KadianRecord,
} from './records';

export type DailyCounts = z.infer<typeof DailyReportData>['counts'];
export type Of<K extends KadianRecord['kind']> = Extract<KadianRecord, { kind: K }>;

export interface FeverLine {
  /** The first reading of the person's chain (re-measurements point at it). */
  id: string;
  at: number;
  name?: string;
  subject: Of<'temperature'>['data']['subject']['type'];
  /** The last reading of the chain. */
  celsius: number;
  actions: Of<'fever-follow-up'>['data']['action'][];
}

export interface DaySummary {
  date: string;
  counts: DailyCounts;
  /** The checkpoint's households in home isolation that day, when it follows any. */
  isolation?: IsolationCounts;
  /**
   * Nothing abnormal (see abnormalities): no fever, no visitor from a key area, no yellow or red
   * health code, no missed or symptomatic home-isolation check-in.
   */
  zero: boolean;
  volunteers: { name: string }[];
  fevers: FeverLine[];
  visitorsInside: { id: string; name: string; visiting: string; at: number }[];
  outOfAreaPlates: string[];
}

export interface DayInput {
  date: string;
  /** How many of the day's records there are of each tally (or prefix), voided ones included. */
  tallies: ReadonlyMap<string, number>;
  /** How many of them some `void` points at, by tally or prefix (voids may come on a later day). */
  voidedTallies: ReadonlyMap<string, number>;
  /** The records read in full (details, visitors) that some `void` points at. */
  voided: ReadonlySet<string>;
  /** The day's records of the READ_TALLIES. */
  details: readonly KadianRecord[];
  /**
   * The volunteers on duty: the names on the day's shifts and other records read, and whoever's
   * shift was still open when the day began.
   */
  names: readonly string[];
  /** Visitors who came in up to the end of the day (this day or before), and their departures. */
  arrivals: readonly KadianRecord[];
  departures: readonly KadianRecord[];
  /** "湘J": plates starting otherwise count as out of the area; none set, none counted. */
  localPlatePrefix?: string;
  /** The day's home-isolation figures (isolationCounts), when the checkpoint follows households. */
  isolation?: IsolationCounts;
}

const is =
  <K extends KadianRecord['kind']>(kind: K) =>
  (record: KadianRecord): record is Of<K> =>
    record.kind === kind;

/** The day's numbers, leaving out voided records; 23:59:59.999 belongs to the day, 00:00 to the next. */
export function summarizeDay(input: DayInput): DaySummary {
  const [, end] = dayBounds(input.date);
  const live = input.details.filter((record) => !input.voided.has(record.id));
  // Figures by counted prefix: every prefix under `prefix`, less the voided records under it.
  const under = (tallies: ReadonlyMap<string, number>, prefix: string) =>
    [...tallies].reduce((sum, [key, n]) => (key.startsWith(prefix) ? sum + n : sum), 0);
  const count = (prefix: string) =>
    under(input.tallies, prefix) - under(input.voidedTallies, prefix);
  const deniedByReason: Partial<Record<DenialReason, number>> = {};
  for (const reason of DENIAL_REASONS) {
    const n = count(`scan/denied/${reason}`);
    if (n > 0) deniedByReason[reason] = n;
  }

  const chains = readingChains(live.filter(is('temperature')));
  const followUps = live.filter(is('fever-follow-up'));
  const fevers: FeverLine[] = [...chains].flatMap(([root, chain]) => {
    const first = chain[0] as Of<'temperature'>;
    const last = chain.at(-1) as Of<'temperature'>;
    if (!last.data.fever) return [];
    const ids = new Set([root, ...chain.map((reading) => reading.id)]);
    return [
      {
        id: root,
        at: first.recordedAt,
        ...(first.data.subject.name && { name: first.data.subject.name }),
        subject: first.data.subject.type,
        celsius: last.data.celsius,
        actions: followUps
          .filter((followUp) => ids.has(followUp.data.temperatureId))
          .map((followUp) => followUp.data.action),
      },
    ];
  });
  const visitors = live.filter(is('visitor-in'));
  const prefix = input.localPlatePrefix;
  const outOfAreaPlates = prefix
    ? visitors.flatMap((visitor) =>
        visitor.data.plate && !visitor.data.plate.startsWith(prefix) ? [visitor.data.plate] : [],
      )
    : [];
  const left = new Set(
    input.departures
      .filter((departure) => departure.recordedAt <= end && !input.voided.has(departure.id))
      .flatMap((departure) => (departure.kind === 'visitor-out' ? [departure.data.visitorId] : [])),
  );
  const visitorsInside = input.arrivals
    .filter(is('visitor-in'))
    .filter((visitor) => visitor.recordedAt <= end && !input.voided.has(visitor.id))
    .filter((visitor) => !left.has(visitor.id))
    .sort((a, b) => a.recordedAt - b.recordedAt)
    .map((visitor) => ({
      id: visitor.id,
      name: visitor.data.name,
      visiting: visitor.data.visiting,
      at: visitor.recordedAt,
    }));

  const counts: DailyCounts = {
    passesIn: count('scan/in/'),
    passesOut: count('scan/out/'),
    passesDenied: count('scan/denied/'),
    deniedByReason,
    temperatures: count('temperature/'),
    fevers: fevers.length,
    visitorsIn: visitors.length,
    visitorsFromKeyAreas: visitors.filter((visitor) => visitor.data.from.keyArea).length,
    visitorsStillInside: visitorsInside.length,
    outOfAreaVehicles: outOfAreaPlates.length,
    visitorsWithFlaggedHealthCode: visitors.filter(
      (visitor) => visitor.data.healthCode === 'yellow' || visitor.data.healthCode === 'red',
    ).length,
  };
  const isolation = input.isolation?.households ? input.isolation : undefined;
  return {
    date: input.date,
    counts,
    ...(isolation && { isolation }),
    zero: abnormalities(counts, isolation).length === 0,
    volunteers: [...input.names]
      .sort((a, b) => a.localeCompare(b, 'zh-CN'))
      .map((name) => ({ name })),
    fevers,
    visitorsInside,
    outOfAreaPlates,
  };
}

/** What makes a day not a zero-report, in the order a report names them. */
export const ABNORMAL_COUNTS = [
  'fevers',
  'visitorsFromKeyAreas',
  'visitorsWithFlaggedHealthCode',
] as const satisfies readonly (keyof DailyCounts)[];

/** Home isolation's figures that make a day not a zero-report: a missed or symptomatic check-in. */
const ABNORMAL_ISOLATION = ['missed', 'symptomatic'] as const;
export type Abnormality =
  | (typeof ABNORMAL_COUNTS)[number]
  | `isolation.${(typeof ABNORMAL_ISOLATION)[number]}`;

/** Every reason a day is not a zero-report, with its count; none on a zero-report day. */
export function abnormalities(
  counts: DailyCounts,
  isolation?: IsolationCounts,
): { reason: Abnormality; count: number }[] {
  return [
    ...ABNORMAL_COUNTS.map((reason) => ({ reason, count: counts[reason] ?? 0 })),
    ...ABNORMAL_ISOLATION.map((key) => ({
      reason: `isolation.${key}` as const,
      count: isolation?.[key] ?? 0,
    })),
  ].filter(({ count }) => count > 0);
}

/** The `daily-report` record's data for a summary: what goes up the chain. */
export function reportData(
  summary: DaySummary,
  place: Place,
  note: string,
): z.infer<typeof DailyReportData> {
  return {
    date: summary.date,
    place: {
      county: place.county.name,
      township: place.township.name,
      community: place.community.name,
      courtyard: place.courtyard.name,
    },
    counts: summary.counts,
    ...(summary.isolation && { isolation: summary.isolation }),
    zero: summary.zero,
    volunteers: summary.volunteers,
    ...(note.trim() && { note: note.trim() }),
  };
}
