// The office's issuer key: made once, written at once to a passphrase-sealed backup the office
// downloads, then kept only as a non-extractable CryptoKey (its private half can sign, never leave).
import type { IssuerKey } from '../db/database';
import { toBase64Url } from '../domain/base64url';
import { keyId } from '../domain/ed25519';
import { encodeKd1, type PassPayload } from '../domain/pass';
import { type SealedBackup, sealBackup } from '../domain/secrets';

export type Issuer = IssuerKey;

export async function createIssuer(
  passphrase: string,
  now: number,
): Promise<{ issuer: Issuer; backup: SealedBackup }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const kid = await keyId(raw);
  const publicKey = toBase64Url(raw);
  const backup = await sealBackup(pkcs8, passphrase, kid, publicKey);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, [
    'sign',
  ]);
  pkcs8.fill(0);
  return { issuer: { kid, publicKey, privateKey, createdAt: now }, backup };
}

/** Signs bytes with the office's key (passes and setup codes). */
export function issuerSigner(issuer: Issuer): (message: Uint8Array) => Promise<Uint8Array> {
  return async (message) =>
    new Uint8Array(
      await crypto.subtle.sign(
        { name: 'Ed25519' },
        issuer.privateKey,
        message as Uint8Array<ArrayBuffer>,
      ),
    );
}

/** Signs a pass with the office's key. */
export function signPass(issuer: Issuer, payload: PassPayload): Promise<string> {
  return encodeKd1(payload, issuerSigner(issuer));
}
