import { useEffect, useState } from 'preact/hooks';
import { watch } from '../db/records';

/** A database query's result, kept current as records are written here, in other tabs or the worker. */
export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(
    () => watch(query, setValue, (error) => console.error('live query failed', error)),
    deps,
  );
  return value;
}
