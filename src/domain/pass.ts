// Pass cards, format KD1 (see docs/kd1.md): `KD1.` + base64url(payload JSON) + `.` +
// base64url(Ed25519 signature over the ASCII of `KD1.` + base64url(payload)). Pure: the signature
// check, the device's history and revocations come in as functions, the clock as a number.
import * as z from 'zod/mini';
import { Curfew } from './config';
import { DAY_MS } from './day';
import { identifier } from './fields';
import { addRuleIssue } from './issues';
import type { DenialReason } from './records';
import { encodeSigned, readSigned, type SignedCode } from './signed-code';

export const KD1_PREFIX = 'KD1.';
/** The whole QR text: short enough for a cheap phone camera through a plastic sleeve (QR level M). */
export const KD1_MAX_LENGTH = 400;

/** The signed payload. Unknown keys are ignored, so later versions of issuers stay readable. */
export const PassPayload = z
  .object({
    v: z.literal(1),
    kid: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
    pid: identifier,
    hh: identifier,
    cp: z.array(identifier).check(z.minLength(1)),
    addr: z.string().check(z.maxLength(50)),
    nb: z.int(),
    na: z.int(),
    q: z.optional(z.object({ n: z.int().check(z.minimum(0)), days: z.int().check(z.minimum(1)) })),
    // As strict as the device's own curfew: "22:00-06:00-07:00" is not a curfew.
    cf: z.optional(Curfew),
  })
  .check(
    z.superRefine((payload, ctx) => {
      // Pass ids are unique across issuers because each starts with its issuer's key id.
      if (!payload.pid.startsWith(payload.kid)) addRuleIssue(ctx, 'invalid', ['pid']);
    }),
  );
export type PassPayload = z.infer<typeof PassPayload>;

/** What must be read of a payload before its signature is checked: the key that signed it. */
const SignedBy = z.looseObject({ kid: z.string() });

/** Reads a KD1 code's envelope (signature not checked, payload rules not applied). Never throws. */
function readKd1(text: string) {
  return readSigned(text, KD1_PREFIX, KD1_MAX_LENGTH, SignedBy);
}

/** The payload held to its own rules; undefined when it breaks one. */
function passOf(payload: unknown): PassPayload | undefined {
  const parsed = PassPayload.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Reads a KD1 code and holds its payload to the pass rules, without checking the signature;
 * undefined for anything that is not a pass. Never throws, whatever the input.
 */
export function parseKd1(text: string): SignedCode<PassPayload> | undefined {
  const read = readKd1(text);
  const pass = read && passOf(read.payload);
  return read && pass && { ...read, payload: pass };
}

/** Makes a KD1 code: the payload as compact JSON, signed by `sign`. */
export function encodeKd1(
  payload: PassPayload,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  return encodeSigned(KD1_PREFIX, payload, sign);
}

/**
 * What a pass check asks of the device's history, all at once: the pass's passages within the
 * duplicate window, and for a signed pass its revocation and, when a quota applies, its
 * household's exits within the quota's window.
 */
export interface HistoryQuestion {
  passId: string;
  direction: 'in' | 'out';
  /** Passages from then on (ms). */
  passagesSince: number;
  revocation: boolean;
  exits?: { householdId: string; since: number };
}

/** The device's answers (its own records; a voided scan never happened). */
export interface PassHistory {
  revoked: boolean;
  /** Allowed exits of the household in the window asked (undefined when not asked). */
  exits: number | undefined;
  /** When the pass last went through in the direction asked (allowed or unverified), if it did. */
  lastPassage: number | undefined;
}

/** What the device knows when it checks a pass. History lookups are the device's own records. */
export interface PassContext {
  now: number;
  direction: 'in' | 'out';
  checkpointId: string;
  courtyardId: string;
  /** Trusted issuer keys: key id → raw 32-byte Ed25519 public key. */
  issuers: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
  verify: (
    publicKey: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ) => Promise<boolean>;
  history: (question: HistoryQuestion) => Promise<PassHistory>;
  duplicateWindowMs: number;
  /** The checkpoint's rules, for a pass that carries no quota or curfew of its own. */
  quota?: { n: number; days: number };
  curfew?: string;
}

export type PassCheck =
  | { verdict: 'allowed'; pass: PassPayload }
  | { verdict: 'denied'; reason: DenialReason; pass?: PassPayload };

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when the device-local time of `now` falls in a curfew "22:00-06:00" (from inclusive, until exclusive). */
export function inCurfew(curfew: string, now: number): boolean {
  const [from = '', until = ''] = curfew.split('-');
  const at = new Date(now);
  const minute = at.getHours() * 60 + at.getMinutes();
  const [start, end] = [minutes(from), minutes(until)];
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The offline decision, in the order the best ticket scanners use: parse → known issuer →
 * signature → revoked → validity window (not on exit) → checkpoint → curfew → quota → duplicate.
 */
export async function checkPass(text: string, context: PassContext): Promise<PassCheck> {
  const read = readKd1(text);
  if (!read) return { verdict: 'denied', reason: 'unreadable' };
  // The signature before the payload's own rules: a tampered field is a forgery, not a misprint.
  const key = context.issuers.get(read.payload.kid);
  const pass = passOf(read.payload);
  if (!key) return { verdict: 'denied', reason: 'unknown-issuer', pass };
  if (!(await context.verify(key, read.signed, read.signature)))
    return { verdict: 'denied', reason: 'bad-signature', pass };
  if (!pass) return { verdict: 'denied', reason: 'unreadable' };
  // The device's history is asked once, for all that the rules below may need.
  const quota = context.direction === 'out' ? (pass.q ?? context.quota) : undefined;
  const history = await context.history({
    ...passagesAsked(pass.pid, context),
    revocation: true,
    exits: quota && { householdId: pass.hh, since: context.now - quota.days * DAY_MS },
  });
  if (history.revoked) return { verdict: 'denied', reason: 'revoked', pass };
  const seconds = Math.floor(context.now / 1000);
  // Someone whose pass expired while out must still be let home: the window is checked on entry only.
  if (context.direction === 'in') {
    if (seconds < pass.nb) return { verdict: 'denied', reason: 'not-yet-valid', pass };
    if (seconds > pass.na) return { verdict: 'denied', reason: 'expired', pass };
  }
  if (!pass.cp.includes(context.checkpointId) && !pass.cp.includes(context.courtyardId)) {
    return { verdict: 'denied', reason: 'wrong-checkpoint', pass };
  }
  if (context.direction === 'out') {
    // The pass's own rules come first; the checkpoint's apply to passes without them.
    const curfew = pass.cf ?? context.curfew;
    if (curfew && inCurfew(curfew, context.now))
      return { verdict: 'denied', reason: 'curfew', pass };
    if (quota && history.exits !== undefined && history.exits >= quota.n)
      return { verdict: 'denied', reason: 'quota', pass };
  }
  if (passedJustNow(history, context)) return { verdict: 'denied', reason: 'duplicate', pass };
  return { verdict: 'allowed', pass };
}

/** What a duplicate check asks of the history: the pass's passages in the duplicate window. */
export function passagesAsked(
  passId: string,
  context: Pick<PassContext, 'now' | 'direction' | 'duplicateWindowMs'>,
): Pick<HistoryQuestion, 'passId' | 'direction' | 'passagesSince'> {
  return {
    passId,
    direction: context.direction,
    passagesSince: context.now - context.duplicateWindowMs + 1,
  };
}

/** True when the history shows the pass went through in this direction within the duplicate window. */
export function passedJustNow(
  { lastPassage }: Pick<PassHistory, 'lastPassage'>,
  context: Pick<PassContext, 'now' | 'duplicateWindowMs'>,
): boolean {
  return lastPassage !== undefined && context.now - lastPassage < context.duplicateWindowMs;
}

/** What of a checked pass may be shown as the card's own words: only what a trusted key signed. */
export function signedContent(check: PassCheck | undefined): PassPayload | undefined {
  if (!check) return undefined;
  const unsigned = check.verdict === 'denied' && UNSIGNED.has(check.reason);
  return unsigned ? undefined : check.pass;
}
const UNSIGNED: ReadonlySet<DenialReason> = new Set(['unknown-issuer', 'bad-signature']);

/** A pass's number as printed on its card: the serial after the office's key id ("000777"). */
export const passNumber = (passId: string) => passId.slice(passId.lastIndexOf('-') + 1);
