// The office's issuer key: made once, written at once to a passphrase-sealed backup the office
// downloads, then kept only as a non-extractable CryptoKey (its private half can sign, never leave).
import type { IssuerKey } from '../../db/database';
import { fromBase64Url, toBase64Url } from '../../domain/base64url';
import { keyId, verifyEd25519 } from '../../domain/ed25519';
import { encodeKd1, type PassPayload } from '../../domain/pass';
import { openBackup, readSealedFile, SealedBackup, sealBackup } from '../../domain/secrets';

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

export type RestoreFailure = 'not-a-backup' | 'wrong-passphrase' | 'no-crypto';

/**
 * Restores an issuer key from its backup file on another office device: the key is imported
 * non-extractable, and must sign what the backup's public key verifies before it is used.
 */
export async function restoreIssuer(
  fileText: string,
  passphrase: string,
  now: number,
): Promise<{ ok: true; issuer: Issuer } | { ok: false; reason: RestoreFailure }> {
  const backup = readSealedFile(fileText, SealedBackup);
  if (!backup) return { ok: false, reason: 'not-a-backup' };
  const pkcs8 = await openBackup(backup, passphrase);
  if (!pkcs8) return { ok: false, reason: 'wrong-passphrase' };
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, [
      'sign',
    ]);
  } catch {
    return { ok: false, reason: 'no-crypto' };
  } finally {
    pkcs8.fill(0);
  }
  const letters = crypto.getRandomValues(new Uint8Array(4));
  const issuer = {
    kid: backup.kid,
    publicKey: backup.publicKey,
    privateKey,
    createdAt: now,
    series: `r${Array.from(letters, (byte) => (byte % 36).toString(36)).join('')}`,
  };
  const publicKey = fromBase64Url(issuer.publicKey);
  const probe = new TextEncoder().encode(`KD1.restore-${now}`);
  const signature = await issuerSigner(issuer)(probe);
  const matches =
    (await keyId(publicKey)) === issuer.kid &&
    (await verifyEd25519(publicKey, probe, signature as Uint8Array<ArrayBuffer>));
  return matches ? { ok: true, issuer } : { ok: false, reason: 'not-a-backup' };
}
