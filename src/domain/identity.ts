import { isExists } from 'date-fns';
import type { Problem } from './issues';

/** Identity document types a visitor can show (DESIGN.md, visitor-in). */
export const ID_TYPES = ['resident', 'hk-macau', 'taiwan', 'passport', 'none'] as const;
export type IdType = (typeof ID_TYPES)[number];

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** The check character GB 11643 gives to the first 17 digits of a resident ID. */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (GB11643_WEIGHTS[i] ?? 0);
  return GB11643_CHECK.charAt(sum % 11);
}

/** Upper-cases and drops the spaces people type between groups of digits. */
export function normalizeIdNumber(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

/** Checks a resident ID by GB 11643: 18 characters, a region, a real birth date not after `today`, the check character. */
export function checkResidentId(id: string, today: Date): Problem | null {
  if (id.length !== 18) return { rule: 'id-length', params: { length: 18 } };
  if (!/^\d{17}[\dX]$/.test(id)) return { rule: 'id-characters' };
  if (!/^[1-9]\d{5}$/.test(id.slice(0, 6))) return { rule: 'id-region' };
  const [year, month, day] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number) as [
    number,
    number,
    number,
  ];
  if (!isExists(year, month - 1, day) || year < 1900 || new Date(year, month - 1, day) > today) {
    return { rule: 'id-birth-date' };
  }
  const expected = residentIdCheckCharacter(id.slice(0, 17));
  if (id[17] !== expected) return { rule: 'id-check-character', params: { expected } };
  return null;
}

/** Checks an identity number against the shape its document type requires. */
export function checkIdNumber(type: IdType, id: string | undefined, today: Date): Problem | null {
  if (type === 'none') return id ? { rule: 'id-not-needed' } : null;
  if (!id) return { rule: 'required' };
  switch (type) {
    case 'resident':
      return checkResidentId(id, today);
    case 'hk-macau':
      return /^[HM](\d{8}|\d{10})$/.test(id) ? null : { rule: 'permit-hk-macau' };
    case 'taiwan':
      return /^\d{8}$/.test(id) ? null : { rule: 'permit-taiwan' };
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(id) ? null : { rule: 'passport' };
  }
}

/** 4301**********123X: the first four and last four characters of an ID number stay visible. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8)
    return `${id.slice(0, 1)}${'*'.repeat(Math.max(0, id.length - 2))}${id.slice(-1)}`;
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
