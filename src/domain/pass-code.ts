import { type PassCheck, type PassContext, parseKd1, passagesAsked, passedJustNow } from './pass';
import { RAW_LIMIT, type RecordData } from './records';

/**
 * Reads a KD1 pass code's ids without checking its signature (that comes with issuer keys); null
 * for anything that is not a pass. Never throws.
 */
export function readPassIds(text: string): { passId: string; householdId: string } | null {
  const pass = parseKd1(text)?.payload;
  return pass ? { passId: pass.pid, householdId: pass.hh } : null;
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

/**
 * A decoded code on a device that trusts no issuer key: as scanOutcome, and a pass that just went
 * through in the same direction is a duplicate, as it would be with keys.
 */
export async function uncheckedScan(
  text: string,
  context: Pick<PassContext, 'now' | 'direction' | 'history' | 'duplicateWindowMs'>,
): Promise<RecordData<'pass-scan'>> {
  const outcome = scanOutcome(text, context.direction);
  if (!outcome.passId) return outcome;
  const history = await context.history({
    ...passagesAsked(outcome.passId, context),
    revocation: false,
  });
  if (passedJustNow(history, context))
    return { ...outcome, verdict: 'denied', reason: 'duplicate', raw: cutRaw(text) };
  return outcome;
}
