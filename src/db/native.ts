// IndexedDB without Dexie's layers, for the hot paths: a scan's check and save (where Dexie's
// promise zones and middleware cost about half a millisecond at the median and two at the slowest
// scans) and the report's reads. The database is still Dexie's (opened, versioned and upgraded by
// it), and every write here is announced to Dexie's live queries as its own would be.
import Dexie, { type IndexableType, type ObservabilitySet, RangeSet } from 'dexie';
import type { KadianDB } from './database';

/**
 * The native connection, once Dexie has it open and upgraded (it opens it if need be: a newer
 * version open elsewhere refuses, as for any write through Dexie).
 */
export async function nativeDb(db: KadianDB): Promise<IDBDatabase> {
  return (await db.open()).backendDB();
}

/** Resolves when the transaction committed; rejects with its error (disk full, a key taken) if not. */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
}

/**
 * What `use` makes of a transaction, or undefined when there is none or it is no longer open to
 * requests (it committed, or the task that could use it has passed).
 */
export function stillOpen<T>(tx: IDBTransaction | undefined, use: (tx: IDBTransaction) => T) {
  if (!tx) return undefined;
  try {
    return use(tx);
  } catch (error) {
    const { name } = error as Error;
    if (name === 'TransactionInactiveError' || name === 'InvalidStateError') return undefined;
    throw error;
  }
}

/** A request's result, or its error. */
export function answer<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Tells Dexie's live queries, in this page and in other tabs and the worker, which keys a native
 * write added (rows by table, each with its primary key), as Dexie's own write would: every index
 * key of every row. The database is opened without Dexie's query cache, so a live query woken
 * reads afresh.
 */
export function announce(db: KadianDB, written: Record<string, [IndexableType, object][]>): void {
  // In the task after: the verdict the write was waited for is drawn first (Dexie, too, tells
  // its own writes' live queries a task later).
  setTimeout(() => Dexie.on.storagemutated.fire(partsOf(db, written)), 0);
}

/** Dexie's description of what a write changed: every key of every index of every row. */
function partsOf(db: KadianDB, written: Record<string, [IndexableType, object][]>) {
  const parts = new Map<string, RangeSet>();
  const part = (table: string, index: string) => {
    const name = `idb://${db.name}/${table}/${index}`;
    const set = parts.get(name) ?? new RangeSet();
    parts.set(name, set);
    return set;
  };
  for (const [table, rows] of Object.entries(written)) {
    const schema = db.core.schema.tables.find((each) => each.name === table);
    for (const [key, row] of rows) {
      part(table, '').addKey(key);
      part(table, ':dels').addKey(key);
      for (const { name, extractKey, multiEntry } of schema?.indexes ?? []) {
        const indexKey = extractKey?.(row);
        if (!name || indexKey == null) continue;
        if (multiEntry && Array.isArray(indexKey)) part(table, name).addKeys(indexKey);
        else part(table, name).addKey(indexKey);
      }
    }
  }
  return Object.fromEntries(parts) as ObservabilitySet;
}
