// Ed25519 (RFC 8032) for pass signatures: WebCrypto where the runtime has it (about 0.05 ms a
// verification), @noble/ed25519 where it does not (about 0.5 ms). Both give the same answers. How
// @noble/ed25519 is loaded is the caller's: lazily in the page (./ed25519.ts), bundled in the
// service worker, which may not load code at run time.
import { fromBase64Url, toHex } from './base64url';

/** RFC 8032's first test public key: importing it tells whether WebCrypto knows Ed25519. */
const PROBE_KEY = Uint8Array.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.match(/../g) ?? [],
  (byte) => Number.parseInt(byte, 16),
);

let webCryptoSupport: Promise<boolean> | undefined;

/** Whether this runtime's WebCrypto verifies Ed25519 (checked once). */
export function webCryptoHasEd25519(): Promise<boolean> {
  webCryptoSupport ??= crypto.subtle
    .importKey('raw', PROBE_KEY, { name: 'Ed25519' }, false, ['verify'])
    .then(
      () => true,
      () => false,
    );
  return webCryptoSupport;
}

/** A WebCrypto key, named so in the browser and in Node alike. */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
export type WebCryptoKeyPair = { publicKey: WebCryptoKey; privateKey: WebCryptoKey };

const imported = new Map<string, Promise<WebCryptoKey>>();

function publicKey(raw: Uint8Array<ArrayBuffer>): Promise<WebCryptoKey> {
  const id = toHex(raw);
  let key = imported.get(id);
  if (!key) {
    key = crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    imported.set(id, key);
  }
  return key;
}

export type Verify = (
  raw: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  options?: { webCrypto?: Promise<boolean> | boolean },
) => Promise<boolean>;

interface Noble {
  verifyAsync: (signature: Uint8Array, message: Uint8Array, key: Uint8Array) => Promise<boolean>;
}

/**
 * A verifier: true when `signature` is the key's signature of `message`, false for anything
 * malformed; @noble/ed25519 (from `loadNoble`) where WebCrypto lacks Ed25519.
 */
export function ed25519Verifier(loadNoble: () => Promise<Noble>): Verify {
  return async (raw, message, signature, { webCrypto = webCryptoHasEd25519() } = {}) => {
    if (raw.length !== 32 || signature.length !== 64) return false;
    try {
      if (await webCrypto)
        return await crypto.subtle.verify(
          { name: 'Ed25519' },
          await publicKey(raw),
          signature,
          message,
        );
      const { verifyAsync } = await loadNoble();
      return await verifyAsync(signature, message, raw);
    } catch {
      return false;
    }
  };
}

/** An issuer key's id: the first 8 hex digits of SHA-256 of the raw 32-byte public key. */
export async function keyId(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
  return toHex(digest.slice(0, 4));
}

export type Issuers = ReadonlyMap<string, Uint8Array<ArrayBuffer>>;

/** The trusted issuer keys (raw, base64url) by key id. */
export async function issuerMap(keys: readonly string[] | undefined): Promise<Issuers> {
  const raw = (keys ?? []).map((key) => fromBase64Url(key));
  return new Map(await Promise.all(raw.map(async (key) => [await keyId(key), key] as const)));
}
