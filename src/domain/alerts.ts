// Fever alerts: a fever found at a gate must reach a person on duty who acts within two minutes.
// An alert is named by the first fever reading's id; who took it and how it was closed are
// records made at the receiver. Which level of the chain it calls on follows from the times alone.
import * as z from 'zod/mini';
import { ALERT_OUTCOMES, type AlertOutcome, type KadianRecord } from './records';

export const ALERT_LEVELS = ['community', 'township', 'county'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Minutes an alert may wait untaken at a level before it is raised to the next (2 and 5 by default). */
export interface Escalation {
  community: number;
  township: number;
}
export const DEFAULT_ESCALATION: Escalation = { community: 2, township: 5 };

/** What the gate and the duty pages know of an alert (the JSON API's shape; see docs/receiver.md). */
export interface AlertState {
  id: string;
  checkpointId: string;
  checkpointName?: string;
  place: { county?: string; township?: string; community?: string; courtyard?: string };
  /** The fever reading's time at the gate, and when the receiver stored it (ms). */
  measuredAt: number;
  receivedAt: number;
  celsius: number;
  /**
   * Who was measured: pass, visitor or person; the name masked. A symptomatic home-isolation
   * check-in (added in 0.3): `isolation`, the household's address as ref, the member's symptoms.
   */
  subject: { type: string; ref?: string; name?: string; symptoms?: string[] };
  taken?: { by: string; phone?: string; at: number };
  closed?: { by: string; at: number; outcome: AlertOutcome; note?: string };
  /** What the gate did itself: re-measurements and follow-ups, oldest first. */
  atGate: { at: number; celsius?: number; action?: string }[];
  /** The first reading was voided at the gate (a mistake): nothing to act on. */
  voided: boolean;
  /** When it is raised to the township and to the county if nobody takes it (ms). */
  escalatesAt: { township: number; county: number };
  /** Who is on duty now at each level of its place, by the receiver's roster (added in 0.3). */
  onDuty?: Partial<Record<AlertLevel, { name: string; phone: string }>>;
}

/** When an alert received at `receivedAt` is raised to each level if nobody takes it. */
export function escalationTimes(receivedAt: number, minutes: Escalation) {
  const township = receivedAt + minutes.community * 60_000;
  return { township, county: township + minutes.township * 60_000 };
}

/** True while someone on duty still has to act: not taken, closed or voided. */
export const awaitingTake = (alert: AlertState) => !alert.taken && !alert.closed && !alert.voided;

/** The highest level an alert calls on now: it rises while nobody takes it, and stays once taken. */
export function alertLevel(alert: AlertState, now: number): AlertLevel {
  const until = alert.taken?.at ?? alert.closed?.at ?? now;
  if (until >= alert.escalatesAt.county) return 'county';
  if (until >= alert.escalatesAt.township) return 'township';
  return 'community';
}

/**
 * The records that travel in the alert lane, each at once in a batch of its own: a fever reading,
 * a re-measurement, a follow-up at the gate (they are the alert's timeline at the receiver), a
 * symptomatic home-isolation check-in (an alert of its own).
 */
export function inAlertLane(record: KadianRecord): boolean {
  if (record.kind === 'fever-follow-up') return true;
  if (record.kind === 'isolation-check-in') return record.data.symptomatic;
  return (
    record.kind === 'temperature' && (record.data.fever || record.data.remeasureOf !== undefined)
  );
}

/** What a gate keeps of an alert it pulled from its receiver: who took it, how it was closed. */
export const PulledAlert = z.object({
  id: z.string(),
  checkpointId: z.string(),
  receivedAt: z.number(),
  taken: z.optional(z.object({ by: z.string(), phone: z.optional(z.string()), at: z.number() })),
  closed: z.optional(
    z.object({
      by: z.string(),
      at: z.number(),
      outcome: z.enum(ALERT_OUTCOMES),
      note: z.optional(z.string()),
    }),
  ),
});
export type PulledAlert = z.infer<typeof PulledAlert>;

/** Where a gate's alert stands, as the volunteer sees it. */
export type AlertProgress =
  | { step: 'saved'; at: number }
  | { step: 'delivered'; at: number }
  | { step: 'taken'; at: number; by: string; phone?: string }
  | { step: 'closed'; at: number; by: string; outcome: AlertOutcome };

/**
 * The furthest step an alert has reached: saved on this phone, delivered to the receiver (when
 * `deliveredAt` is known), taken, closed (from what the receiver says).
 */
export function alertProgress(
  savedAt: number,
  deliveredAt: number | undefined,
  pulled: PulledAlert | undefined,
): AlertProgress {
  if (pulled?.closed)
    return {
      step: 'closed',
      at: pulled.closed.at,
      by: pulled.closed.by,
      outcome: pulled.closed.outcome,
    };
  if (pulled?.taken)
    return {
      step: 'taken',
      at: pulled.taken.at,
      by: pulled.taken.by,
      ...(pulled.taken.phone && { phone: pulled.taken.phone }),
    };
  const delivered = deliveredAt ?? pulled?.receivedAt;
  if (delivered !== undefined) return { step: 'delivered', at: delivered };
  return { step: 'saved', at: savedAt };
}

/** The default wait for the receiver's confirmation before the gate offers an SMS (seconds). */
export const DEFAULT_SMS_AFTER_SECONDS = 60;

/**
 * Whether the gate offers the SMS to the duty number: the receiver has not confirmed the fever in
 * time, or (an endpoint that cannot say whether anyone took it) that time has passed at all.
 */
export function smsDue(
  progress: AlertProgress,
  now: number,
  savedAt: number,
  afterSeconds: number,
  reportsBack: boolean,
): boolean {
  if (now - savedAt < afterSeconds * 1000) return false;
  return !reportsBack || progress.step === 'saved';
}

/** An `sms:` link (RFC 5724) with its text: an SMS needs no data connection. */
export const smsLink = (number: string, body: string) =>
  `sms:${number}?body=${encodeURIComponent(body)}`;

/** The rule the county ran: a fever must be taken by someone on duty within this time. */
export const TAKE_WITHIN_MS = 2 * 60_000;

/** One alert, as the roll-up's figures need it: where, when received, when taken. */
export interface AlertSample {
  checkpointId: string;
  receivedAt: number;
  takenAt?: number;
}

/** How fast a level's alerts were taken: the median and 90th percentile, and those too slow. */
export interface TakeTimes {
  alerts: number;
  taken: number;
  medianMs?: number;
  p90Ms?: number;
  /** Taken after two minutes, or still untaken two minutes after it arrived. */
  notTakenInTime: number;
}

/** Figures of alerts' times to be taken (from the receiver's receipt to the take), as of `now`. */
export function takeTimes(samples: readonly AlertSample[], now: number): TakeTimes {
  const waits = samples
    .flatMap((sample) => (sample.takenAt === undefined ? [] : [sample.takenAt - sample.receivedAt]))
    .sort((a, b) => a - b);
  const at = (q: number) => waits[Math.max(0, Math.ceil(q * waits.length) - 1)];
  return {
    alerts: samples.length,
    taken: waits.length,
    ...(waits.length > 0 && { medianMs: at(0.5), p90Ms: at(0.9) }),
    notTakenInTime: samples.filter(
      (sample) => (sample.takenAt ?? now) - sample.receivedAt > TAKE_WITHIN_MS,
    ).length,
  };
}
