// Keeping a natively read query current (see native.ts): Dexie's live queries only see the
// reads made through Dexie, so a screen whose reads are native listens for writes itself.
import Dexie, { type ObservabilitySet } from 'dexie';
import type { KadianDB } from './database';

/**
 * Calls back with a native query's result now, and again after each write to any of its `tables`
 * (here, through Dexie or natively, in another tab or in the worker: Dexie's storagemutated event).
 * Coarser than a Dexie live query, which wakes only for the keys it read: for the few screens
 * whose reads are native. A run asked for while one is under way follows it; only the latest
 * result is given.
 */
export function watchTables<T>(
  db: KadianDB,
  tables: readonly string[],
  query: () => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): () => void {
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    again = false;
    running = query()
      .then((value) => {
        if (!closed && !again) onValue(value);
      }, onError)
      .finally(() => {
        running = undefined;
        if (again && !closed) void run();
      });
    return running;
  };
  const prefixes = tables.map((table) => `idb://${db.name}/${table}/`);
  const changed = (parts: ObservabilitySet) => {
    if (Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix))))
      void run();
  };
  Dexie.on('storagemutated', changed);
  void run();
  return () => {
    closed = true;
    Dexie.on('storagemutated').unsubscribe(changed);
  };
}
