import * as z from 'zod/mini';
import { celsius, identifier, mobile, plate, recordId, Sealed, text } from './fields';
import { checkIdNumber, ID_TYPES } from './identity';
import { addRuleIssue } from './issues';
import { TEMPERATURE_METHODS } from './temperature';
import { TEXT_LIMITS } from './text';

/** The wire format's version; a change to what endpoints receive needs a new one. */
export const SCHEMA_VERSION = 1;

export const Volunteer = z.strictObject({
  name: text(TEXT_LIMITS.name),
  phone: z.optional(mobile),
});
export type Volunteer = z.infer<typeof Volunteer>;

export const DENIAL_REASONS = [
  'bad-signature',
  'unknown-issuer',
  'expired',
  'not-yet-valid',
  'revoked',
  'wrong-checkpoint',
  'quota',
  'curfew',
  'duplicate',
  'unreadable',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

export const RAW_LIMIT = 512;

export const PassScanData = z
  .strictObject({
    passId: z.optional(identifier),
    householdId: z.optional(identifier),
    direction: z.enum(['in', 'out']),
    verdict: z.enum(['allowed', 'denied', 'unverified']),
    reason: z.optional(z.enum(DENIAL_REASONS)),
    raw: z.optional(z.string().check(z.maxLength(RAW_LIMIT))),
  })
  .check(
    z.superRefine((scan, ctx) => {
      const unreadable = scan.reason === 'unreadable';
      if (!unreadable && scan.passId === undefined) addRuleIssue(ctx, 'required', ['passId']);
      if (scan.verdict === 'denied' && scan.reason === undefined) {
        addRuleIssue(ctx, 'required', ['reason']);
      }
      if (scan.verdict !== 'denied' && scan.reason !== undefined) {
        addRuleIssue(ctx, 'invalid', ['reason']);
      }
      if (scan.raw !== undefined && scan.verdict !== 'denied')
        addRuleIssue(ctx, 'invalid', ['raw']);
    }),
  );

export const TemperatureData = z.strictObject({
  subject: z.strictObject({
    type: z.enum(['pass', 'visitor', 'person']),
    ref: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    name: z.optional(text(TEXT_LIMITS.name)),
  }),
  celsius,
  method: z.enum(TEMPERATURE_METHODS),
  fever: z.boolean(),
  remeasureOf: z.optional(recordId),
});

export const FEVER_ACTIONS = ['re-measured', 'referred', 'isolated', 'cleared'] as const;
export const FeverFollowUpData = z.strictObject({
  temperatureId: recordId,
  action: z.enum(FEVER_ACTIONS),
  note: z.optional(text(TEXT_LIMITS.note)),
});

/** How a person on duty closes a fever alert (added in 0.3). */
export const ALERT_OUTCOMES = ['re-measured', 'referred', 'isolated', 'other'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/**
 * Made at the receiver (added in 0.3): a person on duty takes the alert of a fever, whose id is
 * the first fever reading's. The record's volunteer is that person; its checkpoint the alert's.
 */
export const AlertTakenData = z.strictObject({ alertId: recordId });
/** Made at the receiver (added in 0.3): the alert closed with its outcome ("other" needs a note). */
export const AlertClosedData = z
  .strictObject({
    alertId: recordId,
    outcome: z.enum(ALERT_OUTCOMES),
    note: z.optional(text(TEXT_LIMITS.note)),
  })
  .check(
    z.superRefine((data, ctx) => {
      if (data.outcome === 'other' && !data.note?.trim()) addRuleIssue(ctx, 'required', ['note']);
    }),
  );

/** The symptoms asked at every home-isolation check-in (added in 0.3). */
export const SYMPTOMS = [
  'fever',
  'cough',
  'fatigue',
  'sore-throat',
  'breathing',
  'diarrhoea',
  'smell-taste',
] as const;
export const RELEASE_OUTCOMES = ['completed', 'hospital', 'moved', 'other'] as const;

/**
 * A household put in home isolation (added in 0.3): its members (ID numbers sealed to the office's
 * data key as a visitor's), a contact mobile the responsible checkpoint's volunteers call (so never
 * sealed), day 1 and the period in days, the checkpoint (and volunteer) responsible. Made from a
 * fever's "isolated" follow-up (`feverId`) or by hand, at a gate or in the office.
 */
export const IsolationStartData = z.strictObject({
  address: text(TEXT_LIMITS.address),
  householdId: z.optional(identifier),
  members: z
    .array(
      z.strictObject({
        name: text(TEXT_LIMITS.name),
        idType: z.optional(z.enum(ID_TYPES)),
        idNumber: z.optional(z.union([z.string(), Sealed])),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
  phone: mobile,
  startDay: z.iso.date(),
  days: z.int().check(z.minimum(1), z.maximum(60)),
  reason: text(TEXT_LIMITS.reason),
  responsible: z.strictObject({
    checkpointId: identifier,
    volunteer: z.optional(text(TEXT_LIMITS.name)),
  }),
  feverId: z.optional(recordId),
});

/**
 * One check-in of a household in isolation: every member's reading, taken at the door or by phone.
 * `symptomatic` (a fever by the device's threshold, or difficulty breathing) raises a fever alert.
 */
export const IsolationCheckInData = z.strictObject({
  isolationId: recordId,
  symptomatic: z.boolean(),
  how: z.enum(['door', 'phone']),
  reporter: text(TEXT_LIMITS.name),
  readings: z
    .array(
      z.strictObject({
        member: z.int().check(z.minimum(0), z.maximum(19)),
        celsius,
        symptoms: z.array(z.enum(SYMPTOMS)).check(z.maxLength(SYMPTOMS.length)),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
});

/** The period made longer: a new last day, with the reason. */
export const IsolationExtensionData = z.strictObject({
  isolationId: recordId,
  lastDay: z.iso.date(),
  reason: text(TEXT_LIMITS.reason),
});

/** The isolation ended, with its outcome and reason. */
export const IsolationEndData = z.strictObject({
  isolationId: recordId,
  outcome: z.enum(RELEASE_OUTCOMES),
  reason: text(TEXT_LIMITS.reason),
});

export const HEALTH_CODES = ['green', 'yellow', 'red'] as const;
export const VisitorInData = z.strictObject({
  name: text(TEXT_LIMITS.name),
  idType: z.enum(ID_TYPES),
  idNumber: z.optional(z.union([z.string(), Sealed])),
  phone: z.optional(z.union([mobile, Sealed])),
  from: z.strictObject({ region: text(TEXT_LIMITS.region), keyArea: z.boolean() }),
  visiting: text(TEXT_LIMITS.visiting),
  purpose: text(TEXT_LIMITS.purpose),
  plate: z.optional(plate),
  healthCode: z.optional(z.enum(HEALTH_CODES)),
});

export const VisitorOutData = z.strictObject({ visitorId: recordId });
export const ShiftData = z.strictObject({ action: z.enum(['start', 'end']) });

const count = z.int().check(z.nonnegative());
const placeName = text(TEXT_LIMITS.name);
export const DailyReportData = z.strictObject({
  date: z.iso.date(),
  place: z.strictObject({
    county: placeName,
    township: placeName,
    community: placeName,
    courtyard: placeName,
  }),
  counts: z.strictObject({
    passesIn: count,
    passesOut: count,
    passesDenied: count,
    deniedByReason: z.partialRecord(z.enum(DENIAL_REASONS), count),
    temperatures: count,
    fevers: count,
    visitorsIn: count,
    visitorsFromKeyAreas: count,
    visitorsStillInside: count,
    outOfAreaVehicles: count,
    /** Added in 0.2 (optional): visitors with a yellow or red health code, which make a day abnormal. */
    visitorsWithFlaggedHealthCode: z.optional(count),
  }),
  /**
   * Added in 0.3 (optional): the checkpoint's households in home isolation that day, as this device
   * knows them (every device of a checkpoint knows the same; the receiver counts them itself).
   */
  isolation: z.optional(
    z.strictObject({
      households: count,
      checkedIn: count,
      missed: count,
      symptomatic: count,
      released: count,
    }),
  ),
  zero: z.boolean(),
  volunteers: z.array(z.strictObject({ name: text(TEXT_LIMITS.name) })),
  note: z.optional(text(TEXT_LIMITS.note)),
});

export const PassRevocationData = z.strictObject({
  passId: identifier,
  reason: text(TEXT_LIMITS.reason),
  /**
   * Added in schemaVersion 1 (optional): the revocation as the office's issuer key signed it, a
   * KDR1 code naming this pass. Gates count a pulled revocation only when they can verify it.
   */
  signed: z.optional(z.string().check(z.maxLength(2000))),
});
export const VoidData = z.strictObject({ targetId: recordId, reason: text(TEXT_LIMITS.reason) });

const envelope = {
  id: recordId,
  checkpointId: identifier,
  deviceId: identifier,
  volunteer: Volunteer,
  recordedAt: z.int().check(z.nonnegative()),
  schemaVersion: z.literal(SCHEMA_VERSION),
};

const recordOf = <K extends string, D extends z.ZodMiniType>(kind: K, data: D) =>
  z.strictObject({ ...envelope, kind: z.literal(kind), data });

export const PassScanRecord = recordOf('pass-scan', PassScanData);
export const TemperatureRecord = recordOf('temperature', TemperatureData);
export const FeverFollowUpRecord = recordOf('fever-follow-up', FeverFollowUpData);
// The ID check needs the day of the record (a birth date may not lie after it), so it sits here.
export const VisitorInRecord = recordOf('visitor-in', VisitorInData).check(
  z.superRefine((record, ctx) => {
    const { idType, idNumber } = record.data;
    if (typeof idNumber === 'object') return;
    const problem = checkIdNumber(idType, idNumber, new Date(record.recordedAt));
    if (problem) addRuleIssue(ctx, problem.rule, ['data', 'idNumber'], problem.params);
  }),
);
export const VisitorOutRecord = recordOf('visitor-out', VisitorOutData);
export const ShiftRecord = recordOf('shift', ShiftData);
export const DailyReportRecord = recordOf('daily-report', DailyReportData);
export const PassRevocationRecord = recordOf('pass-revocation', PassRevocationData);
export const VoidRecord = recordOf('void', VoidData);
export const AlertTakenRecord = recordOf('fever-alert-taken', AlertTakenData);
export const AlertClosedRecord = recordOf('fever-alert-closed', AlertClosedData);
export const IsolationStartRecord = recordOf('isolation-start', IsolationStartData);
export const IsolationCheckInRecord = recordOf('isolation-check-in', IsolationCheckInData);
export const IsolationExtensionRecord = recordOf('isolation-extension', IsolationExtensionData);
export const IsolationEndRecord = recordOf('isolation-end', IsolationEndData);

/** Any record, as every endpoint receives it. */
export const KadianRecord = z.discriminatedUnion('kind', [
  PassScanRecord,
  TemperatureRecord,
  FeverFollowUpRecord,
  VisitorInRecord,
  VisitorOutRecord,
  ShiftRecord,
  DailyReportRecord,
  PassRevocationRecord,
  VoidRecord,
  AlertTakenRecord,
  AlertClosedRecord,
  IsolationStartRecord,
  IsolationCheckInRecord,
  IsolationExtensionRecord,
  IsolationEndRecord,
]);
export type KadianRecord = z.infer<typeof KadianRecord>;
export type RecordKind = KadianRecord['kind'];
export type RecordOfKind<K extends RecordKind> = Extract<KadianRecord, { kind: K }>;
export type RecordData<K extends RecordKind> = RecordOfKind<K>['data'];

export const RECORD_KINDS = KadianRecord.def.options.map(
  (option) => option.def.shape.kind.def.values[0],
);

/** The kinds whose data holds ID or phone numbers: sealed on a device given an office data key. */
const PERSONAL_KIND_LIST = ['visitor-in', 'isolation-start'] as const satisfies RecordKind[];
export type PersonalKind = (typeof PERSONAL_KIND_LIST)[number];
const PERSONAL_KINDS: ReadonlySet<RecordKind> = new Set(PERSONAL_KIND_LIST);

/** Whether a kind's data holds ID or phone numbers (see PERSONAL_KINDS). */
export function isPersonal(kind: RecordKind): kind is PersonalKind {
  return PERSONAL_KINDS.has(kind);
}

/** The record another record points at: the voided one, the visitor leaving, the fever followed up. */
export function targetOf(record: KadianRecord): string | undefined {
  switch (record.kind) {
    case 'void':
      return record.data.targetId;
    case 'visitor-out':
      return record.data.visitorId;
    case 'fever-follow-up':
      return record.data.temperatureId;
    case 'temperature':
      return record.data.remeasureOf;
    case 'fever-alert-taken':
    case 'fever-alert-closed':
      return record.data.alertId;
    case 'isolation-check-in':
    case 'isolation-extension':
    case 'isolation-end':
      return record.data.isolationId;
    default:
      return undefined;
  }
}

/** Fever readings, their follow-ups and daily reports go to the front of the sync queue. */
/** Whether a record is one of a home isolation's (start, check-in, extension, end). */
export const isIsolationRecord = (record: KadianRecord) => record.kind.startsWith('isolation-');

export function isUrgent(record: KadianRecord): boolean {
  return (
    (record.kind === 'temperature' && record.data.fever) ||
    record.kind === 'fever-follow-up' ||
    record.kind === 'daily-report' ||
    (record.kind === 'isolation-check-in' && record.data.symptomatic)
  );
}
