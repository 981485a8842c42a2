// The daily reports of many devices added up the chain (county → township → community →
// checkpoints), the checkpoints that have not reported, and the fevers still open. Pure: the
// receiver reads the records, this decides.

import { type AlertSample, type TakeTimes, takeTimes } from './alerts';
import { deadlineOf, type IsolationSettings } from './config';
import type { DailyCounts, Of } from './daily-summary';
import { dayBounds, localDay } from './day';
import {
  DEFAULT_ISOLATION,
  type Isolation,
  type IsolationCounts,
  isolationCounts,
  missedDays,
  missedOn,
} from './isolation';
import { maskName } from './mask';
import { maskMobile } from './phone';
import { readingChains } from './readings';
import type { KadianRecord } from './records';

/** A checkpoint the receiver knows: from its registry file, or from the records it received. */
export interface KnownCheckpoint {
  id: string;
  name?: string;
  county?: string;
  township?: string;
  community?: string;
  courtyard?: string;
}

/** What the roll-up reads of a daily report: whose, when, and its figures (not who signed it). */
export type ReportFigures = Pick<
  Of<'daily-report'>,
  'id' | 'checkpointId' | 'deviceId' | 'recordedAt'
> & { data: Pick<Of<'daily-report'>['data'], 'date' | 'place' | 'counts' | 'zero'> };

/** Whether a checkpoint is under a place in the chain (its county, township or community), or is it. */
export const isUnder = (checkpoint: KnownCheckpoint, place: string) =>
  [checkpoint.county, checkpoint.township, checkpoint.community, checkpoint.id].includes(place);

export interface CheckpointDay {
  id: string;
  name: string;
  courtyard: string;
  /** Devices that submitted a report for the day (each device's latest counts). */
  devices: number;
  counts?: DailyCounts;
  zero?: boolean;
  /** Its first report of the day was made after the deadline (added in 0.3). */
  late?: boolean;
}

export interface Level<Child> {
  name: string;
  totals: DailyCounts;
  checkpoints: number;
  reported: number;
  children: Child[];
  /** How fast the fever alerts of the day under this level were taken (added in 0.3). */
  alerts?: TakeTimes;
  /** The day's home isolations of the checkpoints under this level (added in 0.3). */
  isolation?: IsolationCounts;
}

/** A household in home isolation that missed the day's check-in, masked (added in 0.3). */
export interface NonReporting {
  isolationId: string;
  checkpointId: string;
  community: string;
  address: string;
  /** The first member's name and the contact phone, masked. */
  name: string;
  phone: string;
  /** Days missed so far, and whether the day before was missed too (the office is told). */
  missedDays: number;
  twoDaysRunning: boolean;
}

export interface RollUp {
  date: string;
  totals: DailyCounts;
  checkpoints: number;
  reported: number;
  counties: Level<Level<Level<CheckpointDay>>>[];
  missing: CheckpointDay[];
  openFevers: OpenFever[];
  /** The day's fever alerts of every checkpoint shown: how fast they were taken. */
  alerts: TakeTimes;
  /** Checkpoints that reported by the deadline, after it, or not at all (added in 0.3). */
  submitted: { deadline?: string; onTime: number; late: number; missing: number };
  /** The day's home isolations, and the households that missed their check-in (added in 0.3). */
  isolation: IsolationCounts;
  nonReporting: NonReporting[];
}

export interface OpenFever {
  id: string;
  checkpointId: string;
  deviceId: string;
  at: number;
  celsius: number;
  name?: string;
  subject: Of<'temperature'>['data']['subject']['type'];
}

/** An unknown level of the chain is grouped under this name rather than dropped. */
export const UNKNOWN = '—';

export function emptyCounts(): DailyCounts {
  return {
    passesIn: 0,
    passesOut: 0,
    passesDenied: 0,
    deniedByReason: {},
    temperatures: 0,
    fevers: 0,
    visitorsIn: 0,
    visitorsFromKeyAreas: 0,
    visitorsStillInside: 0,
    outOfAreaVehicles: 0,
    visitorsWithFlaggedHealthCode: 0,
  };
}

export function addCounts(into: DailyCounts, counts: DailyCounts): DailyCounts {
  const sum = { ...into, deniedByReason: { ...into.deniedByReason } };
  for (const key of Object.keys(counts) as (keyof DailyCounts)[]) {
    if (key === 'deniedByReason') {
      for (const [reason, n] of Object.entries(counts.deniedByReason) as [
        keyof DailyCounts['deniedByReason'],
        number,
      ][])
        sum.deniedByReason[reason] = (sum.deniedByReason[reason] ?? 0) + n;
    } else sum[key] = (sum[key] ?? 0) + (counts[key] ?? 0);
  }
  return sum;
}

function level<Child>(
  name: string,
  children: Child[],
  of: (child: Child) => { totals?: DailyCounts; checkpoints: number; reported: number },
): Level<Child> {
  let totals = emptyCounts();
  let checkpoints = 0;
  let reported = 0;
  for (const child of children) {
    const part = of(child);
    if (part.totals) totals = addCounts(totals, part.totals);
    checkpoints += part.checkpoints;
    reported += part.reported;
  }
  return { name, totals, checkpoints, reported, children };
}

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  // Pinyin order, as a Chinese reader expects; the unknown group last.
  return [...groups].sort(
    ([a], [b]) => Number(a === UNKNOWN) - Number(b === UNKNOWN) || a.localeCompare(b, 'zh-CN'),
  );
};

/**
 * Adds up the day's reports. A device's later report for the day replaces its earlier one, and a
 * voided report counts for nothing (the device's latest report that is not voided stands, or
 * none); a checkpoint's place comes from the registry, else from its latest report.
 */
export function rollUp(
  date: string,
  known: readonly KnownCheckpoint[],
  reports: readonly ReportFigures[],
  openFevers: OpenFever[],
  voided: ReadonlySet<string>,
  {
    scope,
    alerts = { samples: [], now: 0 },
    deadline,
    isolation = { isolations: [], now: 0, rules: DEFAULT_ISOLATION },
  }: {
    /** A viewer's place (a county, township or community): only the checkpoints under it. */
    scope?: string;
    /** The day's fever alerts, and the time their untaken ones are counted to. */
    alerts?: { samples: readonly AlertSample[]; now: number };
    /** The reports' deadline, "HH:MM": a checkpoint whose first report came later was late. */
    deadline?: string;
    /** Every home isolation, the moment the day's check-ins are judged at, and the rules. */
    isolation?: { isolations: readonly Isolation[]; now: number; rules: IsolationSettings };
  } = {},
): RollUp {
  const latest = new Map<string, ReportFigures>();
  // When each checkpoint first reported the day (a later correction does not make it late).
  const firstAt = new Map<string, number>();
  for (const report of reports) {
    if (report.data.date !== date || voided.has(report.id)) continue;
    firstAt.set(
      report.checkpointId,
      Math.min(firstAt.get(report.checkpointId) ?? Number.POSITIVE_INFINITY, report.recordedAt),
    );
    const key = `${report.checkpointId}\u0000${report.deviceId}`;
    const before = latest.get(key);
    if (!before || before.recordedAt <= report.recordedAt) latest.set(key, report);
  }
  const byCheckpoint = new Map<string, ReportFigures[]>();
  for (const report of latest.values())
    byCheckpoint.set(report.checkpointId, [
      ...(byCheckpoint.get(report.checkpointId) ?? []),
      report,
    ]);

  const places = new Map(known.map((checkpoint) => [checkpoint.id, checkpoint]));
  for (const [id, list] of byCheckpoint) {
    const place = list[0]?.data.place;
    const registered = places.get(id);
    places.set(id, {
      id,
      name: registered?.name,
      county: registered?.county ?? place?.county,
      township: registered?.township ?? place?.township,
      community: registered?.community ?? place?.community,
      courtyard: registered?.courtyard ?? place?.courtyard,
    });
  }

  const inScope = (checkpoint: KnownCheckpoint) =>
    scope === undefined || isUnder(checkpoint, scope);
  const days = [...places.values()].filter(inScope).map((checkpoint) => {
    const list = byCheckpoint.get(checkpoint.id) ?? [];
    const day: CheckpointDay = {
      id: checkpoint.id,
      name: checkpoint.name ?? checkpoint.id,
      courtyard: checkpoint.courtyard ?? UNKNOWN,
      devices: list.length,
      ...(list.length > 0 && {
        counts: list.reduce((sum, report) => addCounts(sum, report.data.counts), emptyCounts()),
        zero: list.every((report) => report.data.zero),
        ...(deadline && {
          late: (firstAt.get(checkpoint.id) ?? 0) > deadlineOf(date, deadline),
        }),
      }),
    };
    return { checkpoint, day };
  });
  const leaf = (day: CheckpointDay) => ({
    totals: day.counts,
    checkpoints: 1,
    reported: day.devices > 0 ? 1 : 0,
  });
  const counties = groupBy(days, ({ checkpoint }) => checkpoint.county ?? UNKNOWN).map(
    ([county, inCounty]) =>
      level(
        county,
        groupBy(inCounty, ({ checkpoint }) => checkpoint.township ?? UNKNOWN).map(
          ([township, inTownship]) =>
            level(
              township,
              groupBy(inTownship, ({ checkpoint }) => checkpoint.community ?? UNKNOWN).map(
                ([community, inCommunity]) =>
                  level(
                    community,
                    inCommunity.map(({ day }) => day).sort((a, b) => a.id.localeCompare(b.id)),
                    leaf,
                  ),
              ),
              (child) => child,
            ),
        ),
        (child) => child,
      ),
  );
  const all = level('', counties, (child) => child);
  const underEach = <T>(items: readonly T[], checkpointOf: (item: T) => string) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(checkpointOf(item));
      if (list) list.push(item);
      else map.set(checkpointOf(item), [item]);
    }
    // What lies under a level: the items of the checkpoints under it (a median does not add up).
    const under = (node: Level<unknown> | CheckpointDay): T[] =>
      'children' in node
        ? (node.children as (Level<unknown> | CheckpointDay)[]).flatMap(under)
        : (map.get(node.id) ?? []);
    return under;
  };
  const samplesUnder = underEach(alerts.samples, (sample) => sample.checkpointId);
  const isolationsUnder = underEach(
    isolation.isolations,
    (one) => one.start.data.responsible.checkpointId,
  );
  // Each household judged once for the day; a level's figures are the sums of its households'.
  const judged = new Map(
    isolation.isolations.map((one) => [
      one,
      isolationCounts([one], date, isolation.now, isolation.rules),
    ]),
  );
  const dayCounts = (isolations: readonly Isolation[]): IsolationCounts => {
    const sum = isolationCounts([], date, isolation.now, isolation.rules);
    for (const one of isolations) {
      const counts = judged.get(one);
      if (!counts) continue;
      for (const key of Object.keys(sum) as (keyof IsolationCounts)[]) sum[key] += counts[key];
    }
    return sum;
  };
  const withFigures = (node: Level<unknown>) => {
    node.alerts = takeTimes(samplesUnder(node), alerts.now);
    node.isolation = dayCounts(isolationsUnder(node));
    for (const child of node.children as (Level<unknown> | CheckpointDay)[])
      if ('children' in child) withFigures(child);
  };
  for (const county of counties) withFigures(county);
  const dayBefore = localDay(dayBounds(date)[0] - 1);
  const nonReporting = counties.flatMap((county) =>
    county.children.flatMap((township) =>
      township.children.flatMap((community) =>
        isolationsUnder(community).flatMap((one): NonReporting[] => {
          if (!judged.get(one)?.missed) return [];
          const { address, members, phone, responsible } = one.start.data;
          return [
            {
              isolationId: one.start.id,
              checkpointId: responsible.checkpointId,
              community: community.name,
              address,
              name: maskName(members[0]?.name ?? ''),
              phone: maskMobile(phone),
              missedDays: missedDays(one, isolation.now, isolation.rules).filter(
                (day) => day <= date,
              ).length,
              twoDaysRunning: missedOn(one, dayBefore, isolation.now, isolation.rules),
            },
          ];
        }),
      ),
    ),
  );
  return {
    date,
    totals: all.totals,
    checkpoints: all.checkpoints,
    reported: all.reported,
    counties,
    missing: days
      .map(({ day }) => day)
      .filter((day) => day.devices === 0)
      .sort((a, b) => a.id.localeCompare(b.id)),
    openFevers: openFevers.filter((fever) => {
      const place = places.get(fever.checkpointId);
      return scope === undefined || (place !== undefined && inScope(place));
    }),
    alerts: takeTimes(samplesUnder(all), alerts.now),
    isolation: dayCounts(isolationsUnder(all)),
    nonReporting,
    submitted: {
      ...(deadline && { deadline }),
      onTime: days.filter(({ day }) => day.devices > 0 && !day.late).length,
      late: days.filter(({ day }) => day.late).length,
      missing: days.filter(({ day }) => day.devices === 0).length,
    },
  };
}

/** Closing follow-ups: cleared, or handed over to the fever clinic. */
const CLOSING = new Set(['cleared', 'referred']);

/**
 * Fevers not closed by the end of the day: the last reading of the chain is a fever, and no
 * follow-up cleared it or sent the person on, nor did the person on duty close its alert. Voided
 * readings and follow-ups do not count.
 */
export function openFevers(date: string, records: readonly KadianRecord[]): OpenFever[] {
  const [, end] = dayBounds(date);
  const upTo = records.filter((record) => record.recordedAt <= end);
  const voided = new Set(upTo.flatMap((r) => (r.kind === 'void' ? [r.data.targetId] : [])));
  const live = upTo.filter((record) => !voided.has(record.id));
  const chains = readingChains(
    live.filter((r): r is Of<'temperature'> => r.kind === 'temperature'),
  );
  // Closed at the gate (a closing follow-up), or by the person on duty who took the alert.
  const closed = new Set(
    live.flatMap((r) => {
      if (r.kind === 'fever-follow-up' && CLOSING.has(r.data.action)) return [r.data.temperatureId];
      return r.kind === 'fever-alert-closed' ? [r.data.alertId] : [];
    }),
  );
  return [...chains].flatMap(([root, chain]) => {
    const first = chain[0] as Of<'temperature'>;
    const last = chain.at(-1) as Of<'temperature'>;
    if (!last.data.fever || chain.some((reading) => closed.has(reading.id)) || closed.has(root))
      return [];
    return [
      {
        id: root,
        checkpointId: first.checkpointId,
        deviceId: first.deviceId,
        at: first.recordedAt,
        celsius: last.data.celsius,
        ...(first.data.subject.name && { name: first.data.subject.name }),
        subject: first.data.subject.type,
      },
    ];
  });
}
