// The settings form's strings and the configuration they describe, both ways (as visitor.ts does
// for the visitor form): the form holds one string per input, validation happens on the result.
import {
  DEFAULT_RULES,
  DEFAULT_SYNC,
  DeviceConfig,
  type Hotline,
  type Preset,
  type PresetCheckpoint,
  type SyncAdapterName,
} from './config';
import { type Checked, check } from './issues';
import { DEFAULT_FEVER_THRESHOLD } from './temperature';

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
  /** The duty number fevers go to by SMS when the receiver has not confirmed them; empty: none. */
  dutySms: string;
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
  dutySms: 'rules.dutySms',
  hotlines: 'hotlines',
  keyAreas: 'keyAreas',
  issuerKeys: 'issuerKeys',
  syncEndpoint: 'sync.endpoint',
  syncAdapter: 'sync.adapter',
  syncToken: 'sync.token',
  syncBatchSize: 'sync.batchSize',
};

/** Hotlines typed one per line: a label, a space, a number (a number alone labels itself). */
export function hotlinesFromText(text: string): Hotline[] {
  return lines(text).map((line) => {
    const split = line.lastIndexOf(' ');
    return split < 0
      ? { label: line, number: line }
      : { label: line.slice(0, split).trim(), number: line.slice(split + 1) };
  });
}

/** The hotlines as typed: one per line. */
export const hotlinesText = (hotlines: readonly Hotline[]) =>
  hotlines.map((hotline) => `${hotline.label} ${hotline.number}`).join('\n');

export const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The configuration a draft describes, before validation; what the form does not show is kept.
 * A checkpoint picked from the preset's list brings its place's ids (county, township, community).
 */
export function configFromDraft(
  draft: ConfigDraft,
  { checkpoints = [], ...base }: { deviceId: string } & Preset,
  today: string,
): DeviceConfig {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
  const regions = lines(draft.keyAreas);
  const place =
    checkpoints.find((known) => known.id === draft.checkpointId.trim())?.place ?? base.place;
  return {
    ...base,
    deviceName: draft.deviceName.trim(),
    checkpoint: { id: draft.checkpointId.trim(), name: draft.checkpointName.trim() },
    place: {
      county: { ...place?.county, name: draft.county.trim() },
      township: { ...place?.township, name: draft.township.trim() },
      community: { ...place?.community, name: draft.community.trim() },
      courtyard: { id: draft.courtyardId.trim(), name: draft.courtyardName.trim() },
    },
    volunteer: {
      name: draft.volunteerName.trim(),
      phone: optional(draft.volunteerPhone.replace(/[\s-]/g, '')),
    },
    rules: withoutUndefined({
      ...(base.rules ?? DEFAULT_RULES),
      feverThreshold:
        draft.feverThreshold.trim() === '' ? DEFAULT_FEVER_THRESHOLD : Number(draft.feverThreshold),
      dutySms: optional(draft.dutySms.replace(/\s/g, '')),
    }),
    hotlines: hotlinesFromText(draft.hotlines),
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

/** The object without its undefined fields (an emptied input leaves no key behind). */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

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
    dutySms: config?.rules?.dutySms ?? '',
    hotlines: hotlinesText(config?.hotlines ?? []),
    keyAreas: (config?.keyAreas?.regions ?? []).join('\n'),
    issuerKeys: (config?.issuerKeys ?? []).join('\n'),
    syncEndpoint: config?.sync?.endpoint ?? '',
    syncAdapter: config?.sync?.adapter ?? DEFAULT_SYNC.adapter,
    syncToken: config?.sync?.token ?? '',
    syncBatchSize: String(config?.sync?.batchSize ?? DEFAULT_SYNC.batchSize),
  };
}

/**
 * The draft checked as a device's configuration. Where the preset lists the checkpoints, one of
 * them must be picked (or an id typed under "advanced"): an empty choice is asked for by name.
 */
export function checkDraft(
  draft: ConfigDraft,
  base: { deviceId: string } & Preset,
  today: string,
): Checked<DeviceConfig> {
  if ((base.checkpoints ?? []).length > 0 && draft.checkpointId.trim() === '')
    return { ok: false, issues: [{ field: 'checkpoint', rule: 'one-of' }] };
  return check(DeviceConfig, configFromDraft(draft, base, today));
}

/** The draft with a checkpoint picked from the list: its id and name, and its place where given. */
export function withCheckpoint(draft: ConfigDraft, picked: PresetCheckpoint): ConfigDraft {
  const place = picked.place;
  return {
    ...draft,
    checkpointId: picked.id,
    checkpointName: picked.name,
    ...(place && {
      county: place.county.name,
      township: place.township.name,
      community: place.community.name,
      courtyardId: place.courtyard.id,
      courtyardName: place.courtyard.name,
    }),
  };
}
