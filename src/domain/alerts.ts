// Fever alerts: a fever found at a gate must reach a person on duty who acts within two minutes.
// An alert is named by the first fever reading's id; who took it and how it was closed are
// records made at the receiver. Which level of the chain it calls on follows from the times alone.
import type { AlertOutcome } from './records';

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
  /** Who was measured: pass, visitor or person; the name masked. */
  subject: { type: string; ref?: string; name?: string };
  taken?: { by: string; phone?: string; at: number };
  closed?: { by: string; at: number; outcome: AlertOutcome; note?: string };
  /** What the gate did itself: re-measurements and follow-ups, oldest first. */
  atGate: { at: number; celsius?: number; action?: string }[];
  /** The first reading was voided at the gate (a mistake): nothing to act on. */
  voided: boolean;
  /** When it is raised to the township and to the county if nobody takes it (ms). */
  escalatesAt: { township: number; county: number };
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
