import * as z from 'zod/mini';
import { fromBase64Url } from './base64url';
import { identifier } from './fields';
import type { PassCheck } from './pass';
import { RAW_LIMIT, type RecordData } from './records';

/** The pass ids a KD1 code names, read without checking its signature (that comes with issuer keys). */
const Kd1Ids = z.object({ v: z.literal(1), pid: identifier, hh: identifier });

/** Reads a KD1 pass code's ids; null for anything that is not one. Never throws. */
export function readPassIds(text: string): { passId: string; householdId: string } | null {
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts[0] !== 'KD1' || !parts[1] || !parts[2]) return null;
  try {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(parts[1]));
    const payload = Kd1Ids.safeParse(JSON.parse(json));
    return payload.success ? { passId: payload.data.pid, householdId: payload.data.hh } : null;
  } catch {
    return null;
  }
}

/** The scan record's data for a checked pass: ids when readable, the text kept only when refused. */
export function scanFromCheck(
  text: string,
  direction: 'in' | 'out',
  check: PassCheck,
): RecordData<'pass-scan'> {
  const ids = check.pass ? { passId: check.pass.pid, householdId: check.pass.hh } : {};
  if (check.verdict === 'allowed') return { ...ids, direction, verdict: 'allowed' };
  return { ...ids, direction, verdict: 'denied', reason: check.reason, raw: cutRaw(text) };
}

// Cut to the wire limit without leaving half of a surrogate pair at the end.
const cutRaw = (text: string) => text.slice(0, RAW_LIMIT).replace(/[\uD800-\uDBFF]$/, '');

/**
 * The scan record's data for a decoded code. Until issuer keys are provisioned a readable pass is
 * "unverified"; an unreadable code is denied and its text kept (cut to the wire limit).
 */
export function scanOutcome(text: string, direction: 'in' | 'out'): RecordData<'pass-scan'> {
  const ids = readPassIds(text);
  if (ids) return { ...ids, direction, verdict: 'unverified' };
  return { direction, verdict: 'denied', reason: 'unreadable', raw: cutRaw(text) };
}
