// Pass cards, format KD1 (see docs/kd1.md): `KD1.` + base64url(payload JSON) + `.` +
// base64url(Ed25519 signature over the ASCII of `KD1.` + base64url(payload)). Pure: the signature
// check, the device's history and revocations come in as functions, the clock as a number.
import * as z from 'zod/mini';
import { CLOCK } from './config';
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
    cf: z.optional(
      z.string().check(
        z.superRefine((value, ctx) => {
          const [from, until] = value.split('-');
          if (!from || !until || !CLOCK.test(from) || !CLOCK.test(until))
            addRuleIssue(ctx, 'invalid');
        }),
      ),
    ),
  })
  .check(
    z.superRefine((payload, ctx) => {
      // Pass ids are unique across issuers because each starts with its issuer's key id.
      if (!payload.pid.startsWith(payload.kid)) addRuleIssue(ctx, 'invalid', ['pid']);
    }),
  );
export type PassPayload = z.infer<typeof PassPayload>;

/** Reads a KD1 code; undefined for anything that is not one. Never throws, whatever the input. */
export function parseKd1(text: string): SignedCode<PassPayload> | undefined {
  return readSigned(text, KD1_PREFIX, KD1_MAX_LENGTH, PassPayload);
}

/** Makes a KD1 code: the payload as compact JSON, signed by `sign`. */
export function encodeKd1(
  payload: PassPayload,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  return encodeSigned(KD1_PREFIX, payload, sign);
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
  isRevoked: (passId: string) => Promise<boolean>;
  /** Allowed exits of a household at or after `since` (ms). */
  exitsSince: (householdId: string, since: number) => Promise<number>;
  /** When this pass was last allowed through in this direction, if ever. */
  lastPassage: (passId: string, direction: 'in' | 'out') => Promise<number | undefined>;
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
  const parsed = parseKd1(text);
  if (!parsed) return { verdict: 'denied', reason: 'unreadable' };
  const { payload: pass, signed, signature } = parsed;
  const key = context.issuers.get(pass.kid);
  if (!key) return { verdict: 'denied', reason: 'unknown-issuer', pass };
  if (!(await context.verify(key, signed, signature)))
    return { verdict: 'denied', reason: 'bad-signature', pass };
  if (await context.isRevoked(pass.pid)) return { verdict: 'denied', reason: 'revoked', pass };
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
    const quota = pass.q ?? context.quota;
    if (curfew && inCurfew(curfew, context.now))
      return { verdict: 'denied', reason: 'curfew', pass };
    if (quota) {
      const used = await context.exitsSince(pass.hh, context.now - quota.days * DAY_MS);
      if (used >= quota.n) return { verdict: 'denied', reason: 'quota', pass };
    }
  }
  const last = await context.lastPassage(pass.pid, context.direction);
  if (last !== undefined && context.now - last < context.duplicateWindowMs) {
    return { verdict: 'denied', reason: 'duplicate', pass };
  }
  return { verdict: 'allowed', pass };
}
