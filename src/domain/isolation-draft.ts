// The isolation screens' forms, one string per input, and the record data each describes. Pure:
// the record's schema checks the data and names each field that breaks a rule.
import type { IdType } from './identity';
import { isSymptomatic } from './isolation';
import type { RecordData, SYMPTOMS } from './records';
import { parseCelsius } from './temperature';

export type Symptom = (typeof SYMPTOMS)[number];

export interface MemberDraft {
  name: string;
  idType: IdType;
  idNumber: string;
}

export interface StartDraft {
  address: string;
  householdId: string;
  members: MemberDraft[];
  phone: string;
  startDay: string;
  days: string;
  reason: string;
  checkpointId: string;
  volunteer: string;
  feverId?: string;
}

export const EMPTY_MEMBER: MemberDraft = { name: '', idType: 'resident', idNumber: '' };

/** A start form's data: blanks left out, numbers as numbers, spaces trimmed. */
export function startData(draft: StartDraft): RecordData<'isolation-start'> {
  const volunteer = draft.volunteer.trim();
  return {
    address: draft.address.trim(),
    ...(draft.householdId.trim() && { householdId: draft.householdId.trim() }),
    members: draft.members.map(({ name, idType, idNumber }) => ({
      name: name.trim(),
      ...(idNumber.trim() && { idType, idNumber: idNumber.trim().toUpperCase() }),
    })),
    phone: draft.phone.replace(/[\s-]/g, ''),
    startDay: draft.startDay,
    days: Number(draft.days),
    reason: draft.reason.trim(),
    responsible: { checkpointId: draft.checkpointId.trim(), ...(volunteer && { volunteer }) },
    ...(draft.feverId && { feverId: draft.feverId }),
  };
}

export interface ReadingDraft {
  celsius: string;
  symptoms: Symptom[];
}

export interface CheckInDraft {
  how: 'door' | 'phone';
  reporter: string;
  readings: ReadingDraft[];
}

/** Everyone's reading the same as the first member's: one tap for a well household. */
export const everyoneSame = (draft: CheckInDraft): CheckInDraft => ({
  ...draft,
  readings: draft.readings.map(() => ({ ...(draft.readings[0] as ReadingDraft) })),
});

/**
 * A check-in form's data, symptomatic when a reading is a fever by the device's threshold or
 * someone has difficulty breathing; a temperature that is not a number is NaN, which the schema
 * refuses under the member's field.
 */
export function checkInData(
  isolationId: string,
  draft: CheckInDraft,
  feverThreshold: number,
): RecordData<'isolation-check-in'> {
  const readings = draft.readings.map((reading, member) => ({
    member,
    celsius: parseCelsius(reading.celsius) ?? Number.NaN,
    symptoms: reading.symptoms,
  }));
  return {
    isolationId,
    symptomatic: isSymptomatic(readings, feverThreshold),
    how: draft.how,
    reporter: draft.reporter.trim(),
    readings,
  };
}
