import type { FrozenBatch, SyncProblem } from '../db/database';
import type { RecordAnswer } from '../db/outbox';
import type { PulledAlert } from '../domain/alerts';
import type { SyncSettings } from '../domain/config';
import type { DeviceStatus } from '../domain/device-status';
import type { PulledRevocation } from '../domain/revocation-code';

/** What one attempt at sending a batch came to; the engine decides what to do next from it alone. */
export type Outcome = (
  | { kind: 'answered'; answers: RecordAnswer[] }
  /** The endpoint refused the batch as a whole (400/422): split it to find the bad record. */
  | { kind: 'split'; status: number; error: string }
  /** 413: smaller batches. */
  | { kind: 'too-large'; status: number }
  /** Busy (409) or rate-limited (429/503): try again after Retry-After, or the backoff. */
  | { kind: 'later'; problem: 'busy' | 'rate-limited'; status: number; retryAfterMs?: number }
  /**
   * Nothing will work until a person acts: a new token (401), a fixed endpoint (403/404/405), or
   * the office stopped this device (410; as lost and not recoverable when the answer says so).
   */
  | {
      kind: 'pause';
      problem: 'unauthorized' | 'configuration' | 'revoked' | 'lost';
      status: number;
    }
  /** Anything else that failed: network, timeout, redirect, 5xx, an answer that is not one. */
  | {
      kind: 'backoff';
      problem: Exclude<
        SyncProblem,
        'busy' | 'rate-limited' | 'unauthorized' | 'configuration' | 'revoked' | 'lost'
      >;
      status?: number;
    }
) & {
  /** The server's clock (its Date header), when it answered. */
  serverDate?: number;
  /**
   * Records answered before the attempt stopped (an adapter sending one request per record): they
   * are settled, and the outcome applies to the rest of the batch.
   */
  settled?: RecordAnswer[];
};

export interface AdapterDeps {
  fetch: typeof fetch;
  now: () => number;
}

/** One way of delivering a frozen batch to one kind of endpoint. */
export interface Adapter {
  send(batch: FrozenBatch, settings: SyncSettings, deps: AdapterDeps): Promise<Outcome>;
  /**
   * Trades a one-time enrolment code for this device's own token: the token, or the outcome that
   * says why not (a spent or expired code is a 401, which pauses until a new setup code).
   */
  enrol?(
    settings: SyncSettings,
    code: string,
    deviceId: string,
    deps: AdapterDeps,
  ): Promise<{ token: string } | Outcome>;
  /**
   * The receiver's alerts of this checkpoint changed after an event cursor (who took them, how they
   * were closed); undefined when the endpoint could not be asked. Only endpoints that know alerts.
   */
  pullAlerts?(
    settings: SyncSettings,
    cursor: number,
    deps: AdapterDeps,
  ): Promise<{ alerts: PulledAlert[]; next: number } | undefined>;
  /** The newest pushed configuration (KDC1) signed by each of these keys; undefined when not asked. */
  pullConfigs?(
    settings: SyncSettings,
    kids: string[],
    deps: AdapterDeps,
  ): Promise<string[] | undefined>;
  /** Tells the endpoint how this device is (version, unsent records, clock, configuration). */
  reportStatus?(settings: SyncSettings, report: DeviceStatus, deps: AdapterDeps): Promise<void>;
  /**
   * The records of this checkpoint's home isolations the endpoint stored after a cursor (starts,
   * check-ins, extensions, ends, their voids), unchecked; undefined when it could not be asked.
   */
  pullIsolations?(
    settings: SyncSettings,
    cursor: number,
    deps: AdapterDeps,
  ): Promise<{ records: unknown[]; next: number } | undefined>;
  /** Revocations after a cursor; undefined when the endpoint could not be asked. */
  pullRevocations?(
    settings: SyncSettings,
    cursor: number,
    deps: AdapterDeps,
  ): Promise<{ revocations: PulledRevocation[]; next: number } | undefined>;
}
