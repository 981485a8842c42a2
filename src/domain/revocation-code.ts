// Revocation lists, format KDR1: for devices that cannot sync, the office hands over the passes it
// revoked as signed codes (QR or a text file, one code per line). Built like a KD1 pass: `KDR1.` +
// base64url(payload JSON) + `.` + base64url(Ed25519 signature over the ASCII before the last dot).
import * as z from 'zod/mini';
import { identifier } from './fields';
import { encodeSigned, readSigned } from './signed-code';

export const REVOCATION_PREFIX = 'KDR1.';
/** Pass ids per code: about 1,100 characters, which a phone camera reads off a screen or paper. */
export const REVOCATIONS_PER_CODE = 40;
const MAX_LENGTH = 2000;

export const RevocationPayload = z.object({
  v: z.literal(1),
  kid: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
  /** When the list was made (ms). */
  at: z.int(),
  /** This code's place in the list, from 1, and how many codes the list has. */
  part: z.int().check(z.minimum(1)),
  of: z.int().check(z.minimum(1)),
  pids: z.array(identifier).check(z.maxLength(REVOCATIONS_PER_CODE)),
});
export type RevocationPayload = z.infer<typeof RevocationPayload>;

/** The whole list as signed codes of at most REVOCATIONS_PER_CODE pass ids each. */
export async function encodeRevocations(
  passIds: string[],
  signer: { kid: string; sign: (message: Uint8Array) => Promise<Uint8Array> },
  at: number,
): Promise<string[]> {
  const chunks = Array.from(
    { length: Math.max(1, Math.ceil(passIds.length / REVOCATIONS_PER_CODE)) },
    (_, i) => passIds.slice(i * REVOCATIONS_PER_CODE, (i + 1) * REVOCATIONS_PER_CODE),
  );
  return Promise.all(
    chunks.map((pids, i) =>
      encodeSigned(
        REVOCATION_PREFIX,
        { v: 1, kid: signer.kid, at, part: i + 1, of: chunks.length, pids },
        signer.sign,
      ),
    ),
  );
}

export type RevocationCheck =
  | { ok: true; payload: RevocationPayload }
  | { ok: false; reason: 'unreadable' | 'unknown-issuer' | 'bad-signature' };

/** Checks one code against the device's trusted issuers. Never throws. */
export async function checkRevocations(
  code: string,
  issuers: ReadonlyMap<string, Uint8Array<ArrayBuffer>>,
  verify: (
    publicKey: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ) => Promise<boolean>,
): Promise<RevocationCheck> {
  const read = readSigned(code.trim(), REVOCATION_PREFIX, MAX_LENGTH, RevocationPayload);
  if (!read) return { ok: false, reason: 'unreadable' };
  const key = issuers.get(read.payload.kid);
  if (!key) return { ok: false, reason: 'unknown-issuer' };
  if (!(await verify(key, read.signed, read.signature)))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: read.payload };
}

/** A revocation as an endpoint serves it: the office's signed code with it, where it has one. */
export interface PulledRevocation {
  passId: string;
  reason: string;
  revokedAt: number;
  signed?: string;
}

/**
 * The pulled revocations a gate may count: those whose office signature (a KDR1 code) a trusted
 * issuer key verifies and that name their own pass. Neither a stolen gate token nor the receiver
 * alone can revoke a pass.
 */
export async function verifiedRevocations(
  pulled: readonly PulledRevocation[],
  issuers: ReadonlyMap<string, Uint8Array<ArrayBuffer>>,
  verify: Parameters<typeof checkRevocations>[2],
): Promise<Omit<PulledRevocation, 'signed'>[]> {
  const checked = await Promise.all(
    pulled.map(async ({ signed, ...revocation }) => {
      if (!signed) return undefined;
      const check = await checkRevocations(signed, issuers, verify);
      return check.ok && check.payload.pids.includes(revocation.passId) ? revocation : undefined;
    }),
  );
  return checked.filter((revocation) => revocation !== undefined);
}
