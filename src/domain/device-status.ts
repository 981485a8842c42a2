import * as z from 'zod/mini';
import { identifier } from './fields';

/**
 * What a device reports of itself with each sync (`POST /devices/status`): nothing personal — its
 * version, records not uploaded, its clock minus the receiver's (ms), and the version (publication
 * time) of the office's configuration it runs.
 */
export const DeviceStatus = z.strictObject({
  deviceId: identifier,
  checkpointId: identifier,
  appVersion: z.string().check(z.minLength(1), z.maxLength(32)),
  pending: z.int().check(z.minimum(0)),
  clockSkewMs: z.optional(z.int()),
  configAt: z.optional(z.int()),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;
