// Personal data as it may appear on paper, screens and shared pictures, and as a receiver keeps it
// after its retention. Pure.
import { maskIdNumber } from './identity';
import { maskMobile } from './phone';
import type { KadianRecord } from './records';

/** A name with only its first (and, from three characters, last) character showing: 李*, 王*明. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/**
 * A record as a receiver keeps it once its retention for personal data has passed: names masked,
 * ID and phone numbers reduced to their masked form (an encrypted one too), the volunteer's phone
 * gone. Masking again changes nothing.
 */
export function withoutPersonalData(record: KadianRecord): KadianRecord {
  const { phone: _, ...volunteer } = record.volunteer;
  const masked = (
    value: string | { masked: string } | undefined,
    mask: (text: string) => string,
  ) => (value === undefined ? undefined : typeof value === 'string' ? mask(value) : value.masked);
  switch (record.kind) {
    case 'visitor-in': {
      const { idNumber, phone, ...data } = record.data;
      const id = masked(idNumber, maskIdNumber);
      const mobile = masked(phone, maskMobile);
      return {
        ...record,
        volunteer,
        data: {
          ...data,
          name: maskName(data.name),
          ...(id !== undefined && { idNumber: id }),
          ...(mobile !== undefined && { phone: mobile }),
        },
      };
    }
    case 'temperature': {
      const { name, ...subject } = record.data.subject;
      return {
        ...record,
        volunteer,
        data: { ...record.data, subject: { ...subject, ...(name && { name: maskName(name) }) } },
      };
    }
    case 'isolation-start': {
      const { phone, members, ...data } = record.data;
      return {
        ...record,
        volunteer,
        data: {
          ...data,
          phone: masked(phone, maskMobile) ?? '',
          members: members.map(({ idNumber, ...member }) => {
            const id = masked(idNumber, maskIdNumber);
            return {
              ...member,
              name: maskName(member.name),
              ...(id !== undefined && { idNumber: id }),
            };
          }),
        },
      };
    }
    case 'isolation-check-in':
      return {
        ...record,
        volunteer,
        data: { ...record.data, reporter: maskName(record.data.reporter) },
      };
    default:
      return { ...record, volunteer };
  }
}
