import * as z from 'zod/mini';
import { DataKey, identifier, text } from './fields';
import { addRuleIssue } from './issues';
import { Volunteer } from './records';
import { DEFAULT_FEVER_THRESHOLD } from './temperature';
import { TEXT_LIMITS } from './text';

const placeName = text(TEXT_LIMITS.name);
const placeLevel = z.strictObject({ id: z.optional(identifier), name: placeName });

/** Where a checkpoint sits in the reporting chain: county → township → community → courtyard. */
export const Place = z.strictObject({
  county: placeLevel,
  township: placeLevel,
  community: placeLevel,
  courtyard: z.strictObject({ id: identifier, name: placeName }),
});
export type Place = z.infer<typeof Place>;

/** At most `n` exits by a household within any rolling `days` × 24 h (a pass's `q`). */
export const Quota = z.strictObject({
  n: z.int().check(z.minimum(0), z.maximum(99)),
  days: z.int().check(z.minimum(1), z.maximum(365)),
});
export type Quota = z.infer<typeof Quota>;

/** A time of day, "HH:MM", 00:00 to 23:59. */
export const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "22:00-06:00": no exit from the first time (inclusive) to the second (exclusive), device time. */
export const Curfew = z.string().check(
  z.superRefine((value, ctx) => {
    const [from = '', until = '', ...rest] = value.split('-');
    if (!CLOCK.test(from) || !CLOCK.test(until) || from === until || rest.length > 0)
      addRuleIssue(ctx, 'curfew');
  }),
);

/** A number to call: a landline with its area code, a mobile or a short hotline (digits, dashes). */
export const PhoneNumber = z.string().check(
  z.superRefine((value, ctx) => {
    if (!/^\+?[\d-]{3,20}$/.test(value)) addRuleIssue(ctx, 'invalid');
  }),
);

/** Home isolation's settings: check-ins a day, the daily cutoff "HH:MM", the default period in days. */
export const IsolationSettings = z.strictObject({
  checkInsPerDay: z.int().check(z.minimum(1), z.maximum(6)),
  cutoff: z.string().check(z.regex(CLOCK)),
  days: z.int().check(z.minimum(1), z.maximum(60)),
});
export type IsolationSettings = z.infer<typeof IsolationSettings>;

export const Rules = z.strictObject({
  feverThreshold: z.number().check(z.minimum(35), z.maximum(40)),
  duplicateWindowSeconds: z.int().check(z.minimum(0), z.maximum(3600)),
  retentionDays: z.int().check(z.minimum(1), z.maximum(365)),
  /** The checkpoint's outing quota and curfew, for passes that do not carry their own. */
  quota: z.optional(Quota),
  curfew: z.optional(Curfew),
  /** Minutes untouched after which the app locks until the volunteer's PIN (default 5). */
  idleLockMinutes: z.optional(z.int().check(z.minimum(1), z.maximum(240))),
  /**
   * The duty number a fever goes to by SMS when the receiver has not confirmed it within
   * `smsAfterSeconds` (default 60), or always after that time with an endpoint that cannot say.
   */
  dutySms: z.optional(PhoneNumber),
  smsAfterSeconds: z.optional(z.int().check(z.minimum(10), z.maximum(3600))),
  /** The daily report's deadline, "HH:MM" (default 20:00): the gate reminds from an hour before. */
  reportDeadline: z.optional(z.string().check(z.regex(CLOCK))),
  /** Home isolation: check-ins a day, the daily cutoff, the default period (added in 0.3). */
  isolation: z.optional(IsolationSettings),
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = {
  feverThreshold: DEFAULT_FEVER_THRESHOLD,
  duplicateWindowSeconds: 30,
  retentionDays: 28,
};

export const Hotline = z.strictObject({
  label: text(TEXT_LIMITS.name),
  number: PhoneNumber,
});
export type Hotline = z.infer<typeof Hotline>;

/** The dated list of key areas (high-risk regions) visitors are asked about. */
export const KeyAreas = z.strictObject({
  asOf: z.iso.date(),
  regions: z.array(text(TEXT_LIMITS.region)),
});
export type KeyAreas = z.infer<typeof KeyAreas>;

export const SYNC_ADAPTERS = ['native', 'couch', 'plain'] as const;
export type SyncAdapterName = (typeof SYNC_ADAPTERS)[number];

/** Where and how records are sent. Backoff and timeout are settings so tests can run them fast. */
export const SyncSettings = z.strictObject({
  endpoint: z.string().check(
    z.superRefine((value, ctx) => {
      if (!/^https?:\/\/[^\s/]+/.test(value)) addRuleIssue(ctx, 'url');
    }),
  ),
  adapter: z.enum(SYNC_ADAPTERS),
  token: z.optional(z.string().check(z.maxLength(4096))),
  /**
   * native: a one-time enrolment code from the office's setup code. At first contact the device
   * trades it for a token of its own, bound to this device and checkpoint (docs/receiver.md).
   */
  enrolment: z.optional(z.string().check(z.maxLength(100))),
  batchSize: z.int().check(z.minimum(1), z.maximum(1000)),
  /**
   * plain: the status an endpoint gives a record id it already has (e.g. 409). Never a 5xx: a
   * server error does not say the record is there (json-server's 500 is settled by a GET).
   */
  duplicateStatus: z.optional(z.int().check(z.minimum(400), z.maximum(499))),
  backoffBaseMs: z.int().check(z.minimum(10), z.maximum(600_000)),
  backoffCapMs: z.int().check(z.minimum(10), z.maximum(86_400_000)),
  /** The longest wait between attempts while the app is open (default 15 s). */
  openWaitMs: z.optional(z.int().check(z.minimum(1000), z.maximum(600_000))),
  timeoutMs: z.int().check(z.minimum(100), z.maximum(600_000)),
});
export type SyncSettings = z.infer<typeof SyncSettings>;

export const DEFAULT_OPEN_WAIT_MS = 15_000;

export const DEFAULT_REPORT_DEADLINE = '20:00';

/** The number a fever's SMS goes to now: whoever the roster has on duty, else the duty number. */
export function dutyNumber(
  config: Pick<DeviceConfig, 'roster' | 'rules'>,
  now: number,
): { number: string; name?: string } | undefined {
  const onDuty = (config.roster ?? [])
    .filter((entry) => entry.from <= now && now < entry.to)
    .sort((a, b) => b.from - a.from)[0];
  if (onDuty) return { number: onDuty.phone, name: onDuty.name };
  return config.rules.dutySms ? { number: config.rules.dutySms } : undefined;
}

/** The moment a day's report is due: its deadline ("HH:MM") on that day, device time. */
export const deadlineOf = (date: string, deadline: string) =>
  new Date(`${date}T${deadline}:00`).getTime();

/**
 * A configuration as stored by an earlier version, made valid for this one: a 5xx "duplicate
 * status" (once suggested for json-server) is dropped rather than the device left unprovisioned.
 */
export function storedConfig(raw: unknown) {
  const sync = (raw as { sync?: { duplicateStatus?: unknown } } | undefined)?.sync;
  if (typeof sync?.duplicateStatus === 'number' && sync.duplicateStatus >= 500) {
    const { duplicateStatus: _, ...rest } = sync;
    return DeviceConfig.safeParse({ ...(raw as object), sync: rest });
  }
  return DeviceConfig.safeParse(raw);
}

export const DEFAULT_SYNC: Omit<SyncSettings, 'endpoint'> = {
  adapter: 'native',
  batchSize: 200,
  backoffBaseMs: 1000,
  backoffCapMs: 300_000,
  timeoutMs: 30_000,
};

/** A raw 32-byte Ed25519 public key in base64url (43 characters, no padding). */
export const IssuerKey = z.string().check(
  z.superRefine((value, ctx) => {
    if (!/^[A-Za-z0-9_-]{43}$/.test(value)) addRuleIssue(ctx, 'invalid');
  }),
);

/** Everything a device knows about where it stands and who is on duty. */
export const DeviceConfig = z.strictObject({
  deviceId: identifier,
  deviceName: text(TEXT_LIMITS.name),
  checkpoint: z.strictObject({ id: identifier, name: text(TEXT_LIMITS.name) }),
  place: Place,
  volunteer: Volunteer,
  rules: Rules,
  hotlines: z.array(Hotline),
  localPlatePrefix: z.optional(z.string().check(z.regex(/^[\u4e00-\u9fa5][A-Z]$/))),
  keyAreas: z.optional(KeyAreas),
  sync: z.optional(SyncSettings),
  /** Trusted pass issuers' raw Ed25519 public keys, base64url (old and new during a rotation). */
  issuerKeys: z.optional(z.array(IssuerKey)),
  /** The office's data key: ID and phone numbers are encrypted to it as they are taken. */
  dataKey: z.optional(DataKey),
  /** The key id that signed the setup this device accepted; later setups need a trusted signer. */
  provisionedBy: z.optional(z.string()),
  /** Who is on duty from–to (ms), from the office's pushed configuration: the SMS goes to them. */
  roster: z.optional(
    z.array(
      z.strictObject({
        name: text(TEXT_LIMITS.name),
        phone: PhoneNumber,
        from: z.int(),
        to: z.int(),
      }),
    ),
  ),
  /** The office's pushed configuration this device runs (see config-code.ts): its version, when applied. */
  pushed: z.optional(z.strictObject({ kid: z.string(), at: z.int(), appliedAt: z.int() })),
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;

/** A checkpoint a new device may be set up as, offered by its name (the ids stay behind it). */
export const PresetCheckpoint = z.strictObject({
  id: identifier,
  name: text(TEXT_LIMITS.name),
  place: z.optional(Place),
});
export type PresetCheckpoint = z.infer<typeof PresetCheckpoint>;

/**
 * What a county's config.json may preset for its devices (read only until a device is first
 * set up): everything but the device's own id and the volunteer on duty, and the checkpoints a
 * volunteer setting one up by hand picks from.
 */
export const Preset = z.partial(
  z.strictObject({
    deviceName: DeviceConfig.def.shape.deviceName,
    checkpoint: DeviceConfig.def.shape.checkpoint,
    place: Place,
    rules: Rules,
    hotlines: z.array(Hotline),
    localPlatePrefix: DeviceConfig.def.shape.localPlatePrefix,
    keyAreas: KeyAreas,
    issuerKeys: z.array(IssuerKey),
    dataKey: DataKey,
    sync: z.partial(SyncSettings),
    checkpoints: z.array(PresetCheckpoint).check(z.maxLength(5000)),
  }),
);
export type Preset = z.infer<typeof Preset>;
