import type { SyncSettings } from '../domain/config';
import type { Adapter } from './adapter';
import { couchAdapter } from './couch';
import { nativeAdapter } from './native';
import { plainAdapter } from './plain';

/** The adapter for a kind of endpoint, by the settings' name for it. */
export type AdapterFor = (name: SyncSettings['adapter']) => Adapter | Promise<Adapter>;

/**
 * Every adapter built in: for the service worker (which may not load code at run time) and Node.
 * The page loads couch and plain only when set to them (see app/sync/sync-runner.ts).
 */
export const builtInAdapters: AdapterFor = (name) =>
  ({ native: nativeAdapter, couch: couchAdapter, plain: plainAdapter })[name];
