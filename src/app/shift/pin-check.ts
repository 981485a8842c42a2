// One way to check a PIN for the admin and for the volunteer on duty: three free tries, then each
// wrong one doubles the wait (kept in the database, so a reload does not reset it).
import type { KadianDB } from '../../db/database';
import { readMeta, writeMeta } from '../../db/settings';
import { afterWrongPin, pinMatches } from '../../domain/secrets';
import type { Translate } from '../../i18n';

const KEYS = {
  admin: ['adminPin', 'adminPinAttempts'],
  shift: ['shiftPin', 'shiftPinAttempts'],
} as const;

/** True when the PIN is right; otherwise what to tell the person. */
export async function tryPin(
  db: KadianDB,
  which: keyof typeof KEYS,
  pin: string,
  t: Translate,
): Promise<true | string> {
  const [pinKey, attemptsKey] = KEYS[which];
  const stored = await readMeta(db, pinKey);
  if (!stored) return true;
  const attempts = await readMeta(db, attemptsKey);
  const wait = Math.ceil(((attempts?.waitUntil ?? 0) - Date.now()) / 1000);
  if (wait > 0) return t('admin.wait', { seconds: wait });
  if (await pinMatches(pin, stored)) {
    await writeMeta(db, attemptsKey, { wrong: 0, waitUntil: 0 });
    return true;
  }
  const next = afterWrongPin(attempts, Date.now());
  await writeMeta(db, attemptsKey, next);
  const seconds = Math.ceil((next.waitUntil - Date.now()) / 1000);
  return seconds > 0 ? t('admin.wrongWait', { seconds }) : t('office.pinWrong');
}

/** The words for a new PIN's problem: the volunteer's on the shift screens, the admin's in Settings. */
export const PIN_PROBLEMS = {
  shift: { short: 'shift.pinShort', mismatch: 'shift.pinMismatch' },
  admin: { short: 'office.pinShort', mismatch: 'office.pinMismatch' },
} as const;
