import { useLayoutEffect, useState } from 'preact/hooks';
import { watch } from '../db/records';

/**
 * A database query's result, kept current as records are written here, in other tabs or the
 * worker. The query starts as soon as the screen has rendered (a layout effect), not a frame later.
 */
export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T>();
  useLayoutEffect(
    () => watch(query, setValue, (error) => console.error('live query failed', error)),
    deps,
  );
  return value;
}
