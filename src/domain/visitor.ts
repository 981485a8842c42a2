import type { KeyAreas } from './config';
import { type IdType, normalizeIdNumber } from './identity';
import { normalizeMobile } from './phone';
import { normalizePlate } from './plate';
import type { HEALTH_CODES, RecordData } from './records';

/** The visitor form as typed: every field a string, empty meaning "not given". */
export interface VisitorDraft {
  name: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  region: string;
  keyArea: boolean;
  visiting: string;
  purpose: string;
  plate: string;
  healthCode: '' | (typeof HEALTH_CODES)[number];
}

export const EMPTY_VISITOR: VisitorDraft = {
  name: '',
  idType: 'resident',
  idNumber: '',
  phone: '',
  region: '',
  keyArea: false,
  visiting: '',
  purpose: '',
  plate: '',
  healthCode: '',
};

/** True when the region a visitor comes from names one of the listed key areas. */
export function isFromKeyArea(region: string, keyAreas: KeyAreas | undefined): boolean {
  const typed = region.replace(/\s/g, '');
  return (
    !!keyAreas &&
    keyAreas.regions.some((area) => area !== '' && typed.includes(area.replace(/\s/g, '')))
  );
}

/** The visitor-in data of a draft: trimmed, numbers normalized, empty optional fields left out. */
export function visitorData(draft: VisitorDraft): RecordData<'visitor-in'> {
  const optional = <T>(value: string, normalize: (text: string) => T) =>
    value.trim() === '' ? undefined : normalize(value.trim());
  const data: RecordData<'visitor-in'> = {
    name: draft.name.trim(),
    idType: draft.idType,
    idNumber: draft.idType === 'none' ? undefined : optional(draft.idNumber, normalizeIdNumber),
    phone: optional(draft.phone, normalizeMobile),
    from: { region: draft.region.trim(), keyArea: draft.keyArea },
    visiting: draft.visiting.trim(),
    purpose: draft.purpose.trim(),
    plate: optional(draft.plate, normalizePlate),
    healthCode: draft.healthCode === '' ? undefined : draft.healthCode,
  };
  // Absent, not undefined: the wire format has no nulls and JSON drops undefined anyway.
  for (const key of Object.keys(data) as (keyof typeof data)[])
    if (data[key] === undefined) delete data[key];
  return data;
}
