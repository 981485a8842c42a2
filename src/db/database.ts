// The device's database: every record made here, its place in the sync queue, and the device's
// settings. Records are append-only: a record is added once and never replaced; a correction is a
// new `void` record. This module and its siblings are the only code that imports dexie.
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { PulledAlert } from '../domain/alerts';
import type { DeviceConfig } from '../domain/config';
import { localDay } from '../domain/day';
import type { KadianRecord, RecordKind } from '../domain/records';
import type { PinAttempts, PinHash } from '../domain/secrets';
import { READ_TALLIES, tallyOf } from '../domain/tally';
import { addToDayTallies, type Counted } from './day-tallies';
import { applyToIsolations, type IsolationRow } from './isolation-rows';
import { applyToVisits, nightsOf } from './visits';

export type SyncState = 'pending' | 'sent' | 'rejected';

/** A record as kept on the device: the wire record untouched, plus local index and sync fields. */
export interface StoredRecord {
  id: string;
  kind: RecordKind;
  checkpointId: string;
  /** Device-local day of recordedAt, YYYY-MM-DD. */
  day: string;
  recordedAt: number;
  /** The record this one points at (void, visitor-out, fever follow-up, re-measurement). */
  targetId?: string;
  /** A pass scan's pass and household; a void of a scan has its target's (version 8 on). */
  passId?: string;
  householdId?: string;
  /** What the record counts as in the daily report (tallyOf), so a day is counted by its index. */
  tally: string;
  /** A void's target as the daily report counts it: [checkpointId, day, tally] of the voided record. */
  voidOf?: [string, string, string];
  /** 1 on the records the daily report reads in full (READ_TALLIES); absent, and not indexed, on others. */
  inReport?: 1;
  /** Exactly what an endpoint receives; local bookkeeping never goes in here. */
  record: KadianRecord;
}

/**
 * A checkpoint-day's figures: how many of its records there are of each tally, and how many of
 * them some `void` points at (also one made on a later day). Kept up to date as records are saved.
 */
export interface DayTally {
  checkpointId: string;
  day: string;
  tallies: Record<string, number>;
  voided: Record<string, number>;
  /** The voided ones of the records the report lists (LISTED_TALLIES): fevers, visitors, shifts. */
  voidedIds: string[];
}

/**
 * A record the endpoint refused, with its reason. A record's sync state is derived: pending while
 * it is queued or in a frozen batch, rejected when it has a row here, sent otherwise. So sending
 * writes nothing per record (a drain of 10,000 would otherwise rewrite 10,000 records).
 */
export interface Rejection {
  recordId: string;
  error: string;
  at: number;
}

/** Queue order for sync: lane 0 (fevers, follow-ups, reports) before lane 1, then writing order. */
export interface OutboxEntry {
  seq?: number;
  recordId: string;
  lane: 0 | 1;
  /**
   * The wire record itself, so freezing a batch reads the queue alone. Entries queued by versions
   * before it have none: their records are read from `records`.
   */
  record?: KadianRecord;
  /** The record's checkpoint and day, as stored with it: a day's unsent records are counted by them. */
  checkpointId: string;
  day: string;
}

/**
 * A record of a fever's alert lane (see domain/alerts.ts): sent at once in a batch of its own,
 * resent byte-identical under the same key until the endpoint has it. It stays, with the time it
 * was delivered, as what the gate knows of its alert (the record also travels in the outbox).
 */
export interface ExpressEntry {
  recordId: string;
  /** Also the Idempotency-Key: `alert-` and the record's id. */
  batchId: string;
  frozenAt: number;
  record: KadianRecord;
  attempts: number;
  deliveredAt?: number;
}

/** A batch as first sent: resent byte-identical, under the same key, until the endpoint answers. */
export interface FrozenBatch {
  /** Also the Idempotency-Key. */
  batchId: string;
  lane: 0 | 1;
  frozenAt: number;
  /** Exactly the wire records sent, in order. */
  records: KadianRecord[];
  attempts: number;
  /**
   * Set on the parts of a batch split after a 413: the learnt batch size in force before it. If
   * one record alone turns out too large, that size stands again.
   */
  shrunk?: { limitBefore?: number };
}

/** A visitor's stay (see visits.ts), keyed by the visitor-in record's id. */
export interface Visit {
  id: string;
  checkpointId: string;
  arrivedAt: number;
  /** The visitor-out records for this visit that are not voided, and when they were made. */
  departures: { id: string; at: number }[];
  /** The arrival itself was voided: nobody came. */
  voided: boolean;
  /** When the visitor left (first departure not voided); 0 if voided, NOT_LEFT while inside. */
  leftAt: number;
  /** [checkpointId, day] of each day at whose end the visitor was inside, once left (nightsOf). */
  nights: [string, string][];
}

export interface Revocation {
  passId: string;
  reason: string;
  revokedAt: number;
}

/** Why the last sync attempt did not go through, in the terms the app words for a volunteer. */
export type SyncProblem =
  /** The phone has no network. */
  | 'offline'
  /** The phone has a network, but the endpoint does not answer (down, or not reachable from here). */
  | 'unreachable'
  | 'timeout'
  | 'redirect'
  | 'server-error'
  | 'invalid-answer'
  | 'busy'
  | 'rate-limited'
  | 'unauthorized'
  | 'configuration'
  /** The office stopped this device (410): it is not used any more; what it has not sent stays. */
  | 'revoked'
  /** The office stopped it as lost, its data not to be recovered: it wipes itself. */
  | 'lost';

/** What the sync engine remembers between runs (never sent anywhere). */
export interface SyncStatus {
  lastSuccessAt?: number;
  lastAttemptAt?: number;
  lastProblem?: { problem: SyncProblem; status?: number; at: number };
  /** Consecutive failed attempts, for the backoff. */
  failures: number;
  /** When the way to the endpoint last opened again: the network back, the endpoint answering, "sync now". */
  backAt?: number;
  nextAttemptAt?: number;
  /** Set by a 401 (a new token is needed) or 403/404/405 (the endpoint is misconfigured). */
  paused?: 'unauthorized' | 'configuration' | 'revoked' | 'lost';
  /** The size of the first batch the endpoint accepted after answering 413. */
  batchSizeLimit?: number;
  /** A 413 was answered and no smaller batch has been accepted yet. */
  shrinking?: boolean;
  /** Device clock minus the server's Date header, at the last answer. */
  clockSkewMs?: number;
  revocationsCursor?: number;
}

/** The office's own pass-signing key: its private half is a non-extractable CryptoKey. */
export interface IssuerKey {
  kid: string;
  /** Raw public key, base64url: what devices are given to trust. */
  publicKey: string;
  privateKey: CryptoKey;
  createdAt: number;
  /**
   * Set when the key was restored from its backup on another office device: that device's pass
   * numbers carry it (1a2b3c4d-rk7q2-000001), so they never repeat the first device's.
   */
  series?: string;
}

export interface MetaEntries {
  config: DeviceConfig;
  lang: string;
  /** The token this device got for its enrolment code (kept apart from the settings it came with). */
  enrolled: { code: string; token: string };
  /** The gate's direction as the volunteer last set it. */
  gateDirection: 'in' | 'out';
  /** The camera the volunteer chose at the gate (a phone with several). */
  cameraId: string;
  /** A barcode scanner typed a code at the gate: the code field takes focus after each person. */
  hardwareScanner: boolean;
  sync: SyncStatus;
  /** Per lane, the highest outbox seq already frozen into a batch (reads start after it). */
  outboxHead: [number, number];
  /** The admin PIN as a salted PBKDF2 hash (office and settings). */
  adminPin: PinHash;
  /** Wrong admin PINs in a row: kept, so reloading the page does not reset the wait. */
  adminPinAttempts: PinAttempts;
  /** The PIN of the volunteer on duty, set when the shift starts; it unlocks the idle app. */
  shiftPin: PinHash;
  shiftPinAttempts: PinAttempts;
  /** When someone last touched the app (ms): a reload after the idle time opens locked. */
  lastActive: number;
  issuer: IssuerKey;
  /** The last pass number this office issued. */
  passSeq: number;
  /** The phone number the office prints on its pass cards. */
  officePhone: string;
  /** The receiver's last alert event this gate has read (GET /alerts?since=). */
  alertsCursor: number;
  /** The receiver's last isolation record this gate has pulled (GET /isolations?since=). */
  isolationsCursor: number;
  [draft: `draft:${string}`]: unknown;
}
export type MetaKey = keyof MetaEntries;
export interface MetaEntry {
  key: string;
  value: unknown;
}

export class KadianDB extends Dexie {
  records!: EntityTable<StoredRecord, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  meta!: EntityTable<MetaEntry, 'key'>;
  batches!: EntityTable<FrozenBatch, 'batchId'>;
  rejections!: EntityTable<Rejection, 'recordId'>;
  revocations!: EntityTable<Revocation, 'passId'>;
  days!: Table<DayTally, [string, string]>;
  visits!: Table<Visit, string>;
  express!: EntityTable<ExpressEntry, 'recordId'>;
  alerts!: EntityTable<PulledAlert, 'id'>;
  isolations!: Table<IsolationRow, string>;

  constructor(name = 'kadian') {
    // No query cache: the gate's scans are written natively and announced (see native.ts); a live
    // query woken by them reads afresh.
    super(name, { cache: 'disabled' });
    // Version 1 shipped: never edit this block; a schema change is a new version() block with an
    // upgrade test against tests/fixtures/db-v1.json.
    this.version(1).stores({
      records: [
        // id: the record's own UUID, so a record can only be added once.
        'id',
        // A checkpoint's day in time order: today's log, the daily report's counts.
        '[checkpointId+day+recordedAt]',
        // One kind across days: visitors still inside, voids, shifts.
        '[kind+recordedAt]',
        // What points at a record: its void, the visitor leaving, a fever's follow-ups.
        'targetId',
        // A pass's and a household's history: duplicate and quota checks without a table scan.
        '[passId+recordedAt]',
        '[householdId+recordedAt]',
      ].join(', '),
      // seq: writing order; [lane+seq]: the order records are sent in (urgent lane first).
      outbox: '++seq, &recordId, [lane+seq]',
      // Device settings and drafts, one row per key.
      meta: 'key',
    });
    // Version 2: sync. Records lose the sync field version 1 gave them: their state is derived.
    this.version(2)
      .stores({
        // A frozen batch by its key; there are only ever a few, read whole and sorted in memory.
        batches: 'batchId',
        // The records an endpoint refused, by record id, listed until someone deals with them.
        rejections: 'recordId',
        // Revoked passes pulled from the endpoint, looked up by pass id at every scan.
        revocations: 'passId',
      })
      .upgrade((tx) =>
        tx
          .table('records')
          .toCollection()
          .modify((row: StoredRecord & { sync?: unknown }) => {
            delete row.sync;
          }),
      );
    // Version 3: the daily report counts a checkpoint-day through indexes, reading few records.
    this.version(3)
      .stores({
        records: [
          'id',
          '[checkpointId+day+recordedAt]',
          '[kind+recordedAt]',
          'targetId',
          '[passId+recordedAt]',
          '[householdId+recordedAt]',
          // A day's figures: one count() per tally, no record read.
          '[checkpointId+day+tally]',
          // The voids of a day's records (made that day or any later one), by what they voided.
          'voidOf',
        ].join(', '),
      })
      .upgrade(async (tx) => {
        const records = tx.table<StoredRecord, string>('records');
        await records.toCollection().modify((row) => {
          row.tally = tallyOf(row.record);
        });
        const voids = await records
          .where('[kind+recordedAt]')
          .between(['void', Dexie.minKey], ['void', Dexie.maxKey])
          .toArray();
        await fileVoids(records, voids, new Map());
        await records.bulkPut(voids);
      });
    // Version 4: a checkpoint-day's figures in one row, kept up to date by every write, so the
    // daily report reads them instead of counting the day through the index (and finding voids
    // through version 3's voidOf index, dropped).
    this.version(4)
      .stores({
        records: [
          'id',
          '[checkpointId+day+recordedAt]',
          '[kind+recordedAt]',
          'targetId',
          '[passId+recordedAt]',
          '[householdId+recordedAt]',
          // The records of a day the report reads in full, by their tally.
          '[checkpointId+day+tally]',
        ].join(', '),
        days: '[checkpointId+day]',
      })
      .upgrade(async (tx) => {
        // In id order, which is the order records were made (UUID v7): a void after its target.
        // Only what is counted is kept in memory, not the records (a phone may hold 100,000).
        const rows: Counted[] = [];
        await tx
          .table<StoredRecord, string>('records')
          .orderBy('id')
          .each(({ checkpointId, day, tally, targetId, voidOf }) => {
            rows.push({ checkpointId, day, tally, targetId, voidOf });
          });
        await addToDayTallies(tx.table('days'), rows, new Set());
      });
    // Version 5: visitors' stays beside the records, so who is still inside is read from small
    // rows instead of every visitor's arrival and departure of the retention period.
    this.version(5)
      .stores({
        // A checkpoint's visits by when they ended: those not ended by a moment are the few
        // still inside then (and, for a past moment, those who left since).
        visits: 'id, [checkpointId+leftAt]',
      })
      .upgrade(async (tx) => {
        const records = tx.table<StoredRecord, string>('records');
        const ofKind = (kind: string) =>
          records
            .where('[kind+recordedAt]')
            .between([kind, Dexie.minKey], [kind, Dexie.maxKey])
            .toArray();
        // Arrivals, then departures, then voids: the order each can find what it points at.
        const [arrivals, departures, voids] = await Promise.all(
          ['visitor-in', 'visitor-out', 'void'].map(ofKind),
        );
        const targets = new Map([...arrivals, ...departures].map((row) => [row.id, row]));
        const visits = tx.table<Visit, string>('visits');
        for (const rows of [arrivals, departures, voids])
          await applyToVisits(visits, rows ?? [], targets);
      });
    // Version 6: fevers' alert lane, and what the receiver says of each alert (taken, closed).
    this.version(6).stores({
      // A few rows: read whole; by record id, as the gate asks after one fever.
      express: 'recordId',
      // The alerts of this checkpoint the receiver reported, by alert id (the first reading's).
      alerts: 'id',
    });
    // Version 7: home isolations this checkpoint follows, made here or pulled (see isolations.ts).
    this.version(7)
      .stores({ isolations: 'id, isolationId' })
      .upgrade(async (tx) => {
        const records = await tx
          .table<StoredRecord, string>('records')
          .filter((row) => row.kind.startsWith('isolation-') || row.kind === 'void')
          .toArray();
        await applyToIsolations(
          tx.table('isolations'),
          records.map((row) => row.record),
        );
      });
    // Version 8: a scan's void is filed under the scan's pass and household too, so a pass check
    // reads a pass's (or a household's) scans and their voids in one range; the records the daily
    // report reads in full are indexed under their checkpoint-day, to be read in one range; and a
    // visit under the days at whose end the visitor was inside.
    this.version(8)
      .stores({
        records: [
          'id',
          '[checkpointId+day+recordedAt]',
          '[kind+recordedAt]',
          'targetId',
          '[passId+recordedAt]',
          '[householdId+recordedAt]',
          '[checkpointId+day+tally]',
          // Only the records marked inReport have a key here: scans and most readings add nothing.
          '[checkpointId+day+inReport]',
        ].join(', '),
        // A visit by each day at whose end the visitor was inside (once left; see nightsOf).
        visits: 'id, [checkpointId+leftAt], *nights',
      })
      .upgrade(async (tx) => {
        const records = tx.table<StoredRecord, string>('records');
        const voids = await records
          .where('[kind+recordedAt]')
          .between(['void', Dexie.minKey], ['void', Dexie.maxKey])
          .toArray();
        await fileVoids(records, voids, new Map());
        await records.bulkPut(voids);
        // Through each checkpoint-day's figures row: only the few records concerned are read.
        const days = await tx
          .table<DayTally, [string, string]>('days')
          .toCollection()
          .primaryKeys();
        for (const [checkpointId, day] of days)
          for (const tally of READ_TALLIES)
            await records
              .where('[checkpointId+day+tally]')
              .equals([checkpointId, day, tally])
              .modify((row) => {
                row.inReport = 1;
              });
        await tx
          .table<Visit, string>('visits')
          .toCollection()
          .modify((visit) => {
            visit.nights = nightsOf(visit);
          });
      });
    // Version 9: a household's records by tally, so its allowed exits are counted by the index
    // alone (no row read) and its voids read on their own. IndexedDB builds the index from the
    // rows as they are: every record already carries its tally.
    this.version(9).stores({
      records: [
        'id',
        '[checkpointId+day+recordedAt]',
        '[kind+recordedAt]',
        'targetId',
        '[passId+recordedAt]',
        '[householdId+tally+recordedAt]',
        '[checkpointId+day+tally]',
        '[checkpointId+day+inReport]',
      ].join(', '),
    });
    // Version 10: a queue entry by its record's checkpoint-day, so the report counts a day's records
    // still queued with one request (walking the queue's record ids took 250 ms a pick with five
    // days' records waiting). Entries already queued take their record's, as stored.
    this.version(10)
      .stores({ outbox: '++seq, &recordId, [lane+seq], [checkpointId+day]' })
      .upgrade(async (tx) => {
        const outbox = tx.table<OutboxEntry, number>('outbox');
        const entries = await outbox.toArray();
        const rows = await tx
          .table<StoredRecord, string>('records')
          .bulkGet(entries.map((entry) => entry.recordId));
        await outbox.bulkPut(
          entries.map((entry, i) => {
            const row = rows[i];
            if (row) return { ...entry, checkpointId: row.checkpointId, day: row.day };
            // A queued record is never purged; should its row be missing, its wire copy tells.
            const { record } = entry;
            return record
              ? { ...entry, checkpointId: record.checkpointId, day: localDay(record.recordedAt) }
              : entry;
          }),
        );
      });
  }
}

let shared: KadianDB | undefined;

/** The one database of this origin, opened on first use (page and service worker alike). */
export function getDb(): KadianDB {
  shared ??= new KadianDB();
  return shared;
}

/**
 * Files voids under the checkpoint, day and tally of what they void (among `saving`, or already
 * stored), for that day's figures, and a scan's void under its pass and household as well. Resolves
 * to what the voids point at, by id.
 */
export async function fileVoids(
  records: Table<StoredRecord, string> | EntityTable<StoredRecord, 'id'>,
  voids: StoredRecord[],
  saving: ReadonlyMap<string, StoredRecord>,
): Promise<Map<string, StoredRecord>> {
  const stored = await records.bulkGet(voids.map((row) => row.targetId ?? ''));
  const targets = new Map<string, StoredRecord>();
  voids.forEach((row, i) => {
    const target = saving.get(row.targetId ?? '') ?? stored[i];
    if (!target) return;
    row.voidOf = [target.checkpointId, target.day, target.tally];
    row.passId = target.passId;
    row.householdId = target.householdId;
    targets.set(target.id, target);
  });
  return targets;
}
