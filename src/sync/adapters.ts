import type { SyncSettings } from '../domain/config';
import type { Adapter } from './adapter';
import { couchAdapter } from './couch';
import { nativeAdapter } from './native';
import { plainAdapter } from './plain';

/** Every kind of endpoint a device can be set to, by the settings' name for it. */
export const ADAPTERS: Record<SyncSettings['adapter'], Adapter> = {
  native: nativeAdapter,
  couch: couchAdapter,
  plain: plainAdapter,
};
