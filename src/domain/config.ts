import * as z from 'zod/mini';
import { DataKey } from './data-key';
import { identifier, text } from './fields';
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

export const Rules = z.strictObject({
  feverThreshold: z.number().check(z.minimum(35), z.maximum(40)),
  duplicateWindowSeconds: z.int().check(z.minimum(0), z.maximum(3600)),
  retentionDays: z.int().check(z.minimum(1), z.maximum(365)),
  /** The checkpoint's outing quota and curfew, for passes that do not carry their own. */
  quota: z.optional(Quota),
  curfew: z.optional(Curfew),
  /** Minutes untouched after which the app locks until the volunteer's PIN (default 5). */
  idleLockMinutes: z.optional(z.int().check(z.minimum(1), z.maximum(240))),
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = {
  feverThreshold: DEFAULT_FEVER_THRESHOLD,
  duplicateWindowSeconds: 30,
  retentionDays: 28,
};

export const Hotline = z.strictObject({
  label: text(TEXT_LIMITS.name),
  number: z.string().check(
    z.superRefine((value, ctx) => {
      if (!/^\+?[\d-]{3,20}$/.test(value)) addRuleIssue(ctx, 'invalid');
    }),
  ),
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
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;

/** The settings form as typed, one string per input. */
export interface ConfigDraft {
  checkpointId: string;
  checkpointName: string;
  county: string;
  township: string;
  community: string;
  courtyardId: string;
  courtyardName: string;
  deviceName: string;
  volunteerName: string;
  volunteerPhone: string;
  localPlatePrefix: string;
  feverThreshold: string;
  /** One hotline per line: a label, a space, a number. */
  hotlines: string;
  /** One key area per line. */
  keyAreas: string;
  /** One trusted issuer public key per line. */
  issuerKeys: string;
  /** Empty: this device does not sync. */
  syncEndpoint: string;
  syncAdapter: SyncAdapterName;
  syncToken: string;
  syncBatchSize: string;
}

/** The validation path each draft field fills, so a message lands under its input. */
export const CONFIG_PATHS: Record<keyof ConfigDraft, string> = {
  checkpointId: 'checkpoint.id',
  checkpointName: 'checkpoint.name',
  county: 'place.county.name',
  township: 'place.township.name',
  community: 'place.community.name',
  courtyardId: 'place.courtyard.id',
  courtyardName: 'place.courtyard.name',
  deviceName: 'deviceName',
  volunteerName: 'volunteer.name',
  volunteerPhone: 'volunteer.phone',
  localPlatePrefix: 'localPlatePrefix',
  feverThreshold: 'rules.feverThreshold',
  hotlines: 'hotlines',
  keyAreas: 'keyAreas',
  issuerKeys: 'issuerKeys',
  syncEndpoint: 'sync.endpoint',
  syncAdapter: 'sync.adapter',
  syncToken: 'sync.token',
  syncBatchSize: 'sync.batchSize',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The configuration a draft describes, before validation; what the form does not show is kept. */
export function configFromDraft(
  draft: ConfigDraft,
  base: { deviceId: string } & Preset,
  today: string,
): DeviceConfig {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
  const regions = lines(draft.keyAreas);
  return {
    ...base,
    deviceName: draft.deviceName.trim(),
    checkpoint: { id: draft.checkpointId.trim(), name: draft.checkpointName.trim() },
    place: {
      county: { ...base.place?.county, name: draft.county.trim() },
      township: { ...base.place?.township, name: draft.township.trim() },
      community: { ...base.place?.community, name: draft.community.trim() },
      courtyard: { id: draft.courtyardId.trim(), name: draft.courtyardName.trim() },
    },
    volunteer: {
      name: draft.volunteerName.trim(),
      phone: optional(draft.volunteerPhone.replace(/[\s-]/g, '')),
    },
    rules: {
      ...(base.rules ?? DEFAULT_RULES),
      feverThreshold:
        draft.feverThreshold.trim() === '' ? DEFAULT_FEVER_THRESHOLD : Number(draft.feverThreshold),
    },
    hotlines: lines(draft.hotlines).map((line) => {
      const split = line.lastIndexOf(' ');
      return split < 0
        ? { label: line, number: line }
        : { label: line.slice(0, split).trim(), number: line.slice(split + 1) };
    }),
    localPlatePrefix: optional(draft.localPlatePrefix.toUpperCase()),
    keyAreas:
      regions.length === 0
        ? undefined
        : {
            asOf:
              base.keyAreas && sameList(base.keyAreas.regions, regions)
                ? base.keyAreas.asOf
                : today,
            regions,
          },
    issuerKeys: lines(draft.issuerKeys).length === 0 ? undefined : lines(draft.issuerKeys),
    sync:
      draft.syncEndpoint.trim() === ''
        ? undefined
        : {
            ...DEFAULT_SYNC,
            ...base.sync,
            endpoint: draft.syncEndpoint.trim(),
            adapter: draft.syncAdapter,
            token: optional(draft.syncToken),
            batchSize: Number(draft.syncBatchSize || DEFAULT_SYNC.batchSize),
          },
  };
}

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/** The form's strings for a saved configuration, a county's preset, or nothing yet. */
export function draftFromConfig(
  config: (Preset & Partial<Pick<DeviceConfig, 'volunteer'>>) | undefined,
): ConfigDraft {
  return {
    checkpointId: config?.checkpoint?.id ?? '',
    checkpointName: config?.checkpoint?.name ?? '',
    county: config?.place?.county.name ?? '',
    township: config?.place?.township.name ?? '',
    community: config?.place?.community.name ?? '',
    courtyardId: config?.place?.courtyard.id ?? '',
    courtyardName: config?.place?.courtyard.name ?? '',
    deviceName: config?.deviceName ?? '',
    volunteerName: config?.volunteer?.name ?? '',
    volunteerPhone: config?.volunteer?.phone ?? '',
    localPlatePrefix: config?.localPlatePrefix ?? '',
    feverThreshold: String(config?.rules?.feverThreshold ?? DEFAULT_FEVER_THRESHOLD),
    hotlines: (config?.hotlines ?? [])
      .map((hotline) => `${hotline.label} ${hotline.number}`)
      .join('\n'),
    keyAreas: (config?.keyAreas?.regions ?? []).join('\n'),
    issuerKeys: (config?.issuerKeys ?? []).join('\n'),
    syncEndpoint: config?.sync?.endpoint ?? '',
    syncAdapter: config?.sync?.adapter ?? DEFAULT_SYNC.adapter,
    syncToken: config?.sync?.token ?? '',
    syncBatchSize: String(config?.sync?.batchSize ?? DEFAULT_SYNC.batchSize),
  };
}

/**
 * What a county's config.json may preset for its devices (read only until a device is first
 * set up): everything but the device's own id and the volunteer on duty.
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
  }),
);
export type Preset = z.infer<typeof Preset>;
