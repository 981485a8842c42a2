import { useLayoutEffect, useState } from 'preact/hooks';
import type { KadianDB } from '../db/database';
import { watchTables } from '../db/table-watch';

/** As useLive, for a query read natively: run again after any write to its tables (watchTables). */
export function useLiveTables<T>(
  db: KadianDB,
  tables: readonly string[],
  query: () => Promise<T>,
  deps: unknown[],
): T | undefined {
  const [value, setValue] = useState<T>();
  useLayoutEffect(
    () =>
      watchTables(db, tables, query, setValue, (error) =>
        console.error('live query failed', error),
      ),
    deps,
  );
  return value;
}
