// Setup codes, format KDS1: a device's settings signed by an office issuer key, carried by a QR
// code or a link. Built like a KD1 pass: `KDS1.` + base64url(payload JSON) + `.` + base64url(Ed25519
// signature over the ASCII of `KDS1.` + base64url(payload)).
import * as z from 'zod/mini';
import { fromBase64Url } from './base64url';
import { Hotline, IssuerKey, KeyAreas, Place, Rules, SyncSettings } from './config';
import { DataKey, identifier, text } from './fields';
import { PinHash } from './secrets';
import { encodeSigned, readSigned } from './signed-code';
import { TEXT_LIMITS } from './text';

export const SETUP_PREFIX = 'KDS1.';
const SETUP_MAX_LENGTH = 4000;

export const SetupPayload = z.object({
  v: z.literal(1),
  /** The signing issuer key's id. */
  kid: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
  issuedAt: z.int(),
  checkpoint: z.strictObject({ id: identifier, name: text(TEXT_LIMITS.name) }),
  place: Place,
  rules: Rules,
  hotlines: z.array(Hotline),
  localPlatePrefix: z.optional(z.string()),
  keyAreas: z.optional(KeyAreas),
  sync: z.optional(SyncSettings),
  issuerKeys: z.array(IssuerKey).check(z.minLength(1)),
  /** The office's data key, when ID and phone numbers are to be encrypted as they are taken. */
  dataKey: z.optional(DataKey),
  /** The office's admin PIN (as its salted hash): it unlocks what this setup fixed on the device. */
  adminPin: z.optional(PinHash),
});
export type SetupPayload = z.infer<typeof SetupPayload>;

export function encodeSetup(
  payload: SetupPayload,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  return encodeSigned(SETUP_PREFIX, payload, sign);
}

export type SetupCheck =
  | {
      ok: true;
      payload: SetupPayload;
      /** No key was trusted yet: the volunteer must confirm the key id with the office first. */
      firstTrust: boolean;
    }
  | { ok: false; reason: 'unreadable' | 'untrusted' | 'bad-signature' };

/**
 * Checks a setup code. A provisioned device accepts only setups signed by a key it already trusts;
 * a new one accepts the signer named in the code itself (trust on first use, confirmed by a person).
 */
export async function checkSetup(
  code: string,
  trustedKeys: string[] | undefined,
  keyIdOf: (publicKey: string) => Promise<string>,
  verify: (
    publicKey: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ) => Promise<boolean>,
): Promise<SetupCheck> {
  // A setup link carries the code after `setup=` in its fragment.
  const read = readSigned(
    code.trim().replace(/^.*[#?&]setup=/, ''),
    SETUP_PREFIX,
    SETUP_MAX_LENGTH,
    SetupPayload,
  );
  if (!read) return { ok: false, reason: 'unreadable' };
  const { payload, signed, signature } = read;
  const candidates = trustedKeys?.length ? trustedKeys : payload.issuerKeys;
  let signer: string | undefined;
  for (const key of candidates) if ((await keyIdOf(key)) === payload.kid) signer = key;
  if (!signer) return { ok: false, reason: 'untrusted' };
  if (!(await verify(fromBase64Url(signer), signed, signature)))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload, firstTrust: !trustedKeys?.length };
}
