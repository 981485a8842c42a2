// Configurations the office pushes to its gates, format KDC1: what changes from day to day (the key
// areas, the quota and curfew, hotlines and the duty number, trusted issuer keys, the data key),
// signed with the office's issuer key. Built like a KD1 pass: `KDC1.` + base64url(payload JSON) +
// `.` + base64url(Ed25519 signature). Gates pull it at sync, or take it as a file or a QR code, and
// apply it only when a key they trust signed it and it is newer than what they run.
import * as z from 'zod/mini';
import {
  CLOCK,
  Curfew,
  type DeviceConfig,
  Hotline,
  IsolationSettings,
  IssuerKey,
  KeyAreas,
  PhoneNumber,
  Quota,
} from './config';
import type { Issuers, Verify } from './ed25519-core';
import { DataKey } from './fields';
import { encodeSigned, readSigned } from './signed-code';

export const CONFIG_PREFIX = 'KDC1.';
const MAX_LENGTH = 8000;

export const ConfigPayload = z.object({
  v: z.literal(1),
  kid: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
  /** When the office published it (ms): also its version, newer replacing older. */
  at: z.int().check(z.minimum(1)),
  keyAreas: z.optional(KeyAreas),
  /** The rules the office sets: what it leaves out (a quota, a curfew) no longer applies. */
  rules: z.optional(
    z.object({
      quota: z.optional(Quota),
      curfew: z.optional(Curfew),
      dutySms: z.optional(PhoneNumber),
      smsAfterSeconds: z.optional(z.int().check(z.minimum(10), z.maximum(3600))),
      reportDeadline: z.optional(z.string().check(z.regex(CLOCK))),
      isolation: z.optional(IsolationSettings),
    }),
  ),
  hotlines: z.optional(z.array(Hotline)),
  /** Who is on duty from–to (ms): the gate's SMS goes to whoever is on duty then (added in 0.3). */
  roster: z.optional(
    z
      .array(
        z.strictObject({
          name: z.string().check(z.minLength(1), z.maxLength(50)),
          phone: PhoneNumber,
          from: z.int(),
          to: z.int(),
        }),
      )
      .check(z.maxLength(100)),
  ),
  /** The issuer keys gates trust from now on (a rotation: the new key and, for a while, the old). */
  issuerKeys: z.optional(z.array(IssuerKey).check(z.minLength(1))),
  dataKey: z.optional(DataKey),
});
export type ConfigPayload = z.infer<typeof ConfigPayload>;

export function encodeConfig(
  payload: ConfigPayload,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  return encodeSigned(CONFIG_PREFIX, payload, sign);
}

/** A pushed configuration read, its signature not checked (a receiver keeps it for its gates). */
export const readConfig = (code: string) =>
  readSigned(code, CONFIG_PREFIX, MAX_LENGTH, ConfigPayload);

export type ConfigCheck =
  | { ok: true; payload: ConfigPayload }
  | { ok: false; reason: 'unreadable' | 'unknown-issuer' | 'bad-signature' | 'not-newer' };

/** Checks a pushed configuration against the gate's trusted issuers and what it runs. Never throws. */
export async function checkConfig(
  code: string,
  issuers: Issuers,
  verify: Verify,
  current: DeviceConfig,
): Promise<ConfigCheck> {
  const read = readConfig(code);
  if (!read) return { ok: false, reason: 'unreadable' };
  const key = issuers.get(read.payload.kid);
  if (!key) return { ok: false, reason: 'unknown-issuer' };
  if (!(await verify(key, read.signed, read.signature)))
    return { ok: false, reason: 'bad-signature' };
  if (read.payload.at <= (current.pushed?.at ?? 0)) return { ok: false, reason: 'not-newer' };
  return { ok: true, payload: read.payload };
}

/**
 * The gate's configuration with a pushed one applied: what it carries replaces the gate's own;
 * the checkpoint, the place, the volunteer and the upload settings stay as they are.
 */
export function applyConfig(
  config: DeviceConfig,
  payload: ConfigPayload,
  appliedAt: number,
): DeviceConfig {
  const { quota: _, curfew: __, dutySms: ___, smsAfterSeconds: ____, ...rules } = config.rules;
  // The deadline is the office's too; one it leaves out stays as it was.
  return {
    ...config,
    ...(payload.keyAreas && { keyAreas: payload.keyAreas }),
    ...(payload.rules && { rules: { ...rules, ...payload.rules } }),
    ...(payload.hotlines && { hotlines: payload.hotlines }),
    ...(payload.roster && { roster: payload.roster }),
    ...(payload.issuerKeys && { issuerKeys: payload.issuerKeys }),
    ...(payload.dataKey && { dataKey: payload.dataKey }),
    pushed: { kid: payload.kid, at: payload.at, appliedAt },
  };
}
