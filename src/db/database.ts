// The device's database: every record made here, its place in the sync queue, and the device's
// settings. Records are append-only: a record is added once and never replaced; a correction is a
// new `void` record. This module and its siblings are the only code that imports dexie.
import Dexie, { type EntityTable } from 'dexie';
import type { DeviceConfig } from '../domain/config';
import type { KadianRecord, RecordKind } from '../domain/records';

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
  passId?: string;
  householdId?: string;
  /** Exactly what an endpoint receives; local bookkeeping never goes in here. */
  record: KadianRecord;
  sync: { state: SyncState; error?: string };
}

/** Queue order for sync: lane 0 (fevers, follow-ups, reports) before lane 1, then writing order. */
export interface OutboxEntry {
  seq?: number;
  recordId: string;
  lane: 0 | 1;
}

export interface MetaEntries {
  config: DeviceConfig;
  lang: string;
  persistRequested: boolean;
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

  constructor(name = 'kadian') {
    super(name);
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
  }
}

let shared: KadianDB | undefined;

/** The one database of this origin, opened on first use (page and service worker alike). */
export function getDb(): KadianDB {
  shared ??= new KadianDB();
  return shared;
}
