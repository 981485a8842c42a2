// The office's pushed configuration, applied on the device (kept apart from settings.ts so the
// code that reads it is loaded only with the screens and sync steps that use it).
import type { DeviceConfig } from '../domain/config';
import { applyConfig, type ConfigPayload } from '../domain/config-code';
import type { KadianDB } from './database';
import { readMeta } from './settings';

/**
 * Applies the office's pushed configuration (already verified) unless the device runs a newer one
 * by now; the check and the write are one transaction. Resolves to the configuration it runs then.
 */
export async function applyPushedConfig(
  db: KadianDB,
  payload: ConfigPayload,
  appliedAt: number,
): Promise<DeviceConfig | undefined> {
  return db.transaction('rw', db.meta, async () => {
    const current = await readMeta(db, 'config');
    if (!current || payload.at <= (current.pushed?.at ?? 0)) return current;
    const next = applyConfig(current, payload, appliedAt);
    await db.meta.put({ key: 'config', value: next });
    return next;
  });
}
