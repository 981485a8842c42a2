// Secrets kept on a device: the admin PIN as a salted slow hash, and the issuer key's backup file
// sealed with a passphrase. WebCrypto only; nothing here does I/O.
import * as z from 'zod/mini';
import { fromBase64Url, toBase64Url } from './base64url';
import { IssuerKey } from './config';
import { DataKey } from './fields';

const base64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/));

const PIN_ITERATIONS = 310_000;
const BACKUP_ITERATIONS = 600_000;

async function pbkdf2(
  secret: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  bits = 256,
) {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  return new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
      material,
      bits,
    ),
  );
}

/** The shortest secret a setup code may carry the hash of (see strongAdminSecret). */
export const ADMIN_SECRET_MIN = 12;

/**
 * Whether a secret is long enough to carry its hash in a setup code: a photographed QR gives
 * anyone the hash to try guesses against offline, at their own pace. A 6-digit PIN falls in
 * minutes; 12 characters with letters and digits (about 62 bits even if chosen plainly) do not.
 */
export function strongAdminSecret(secret: string): boolean {
  return [...secret].length >= ADMIN_SECRET_MIN && /\p{L}/u.test(secret) && /\p{N}/u.test(secret);
}

/**
 * The fewest digits of a new PIN: the admin's opens Settings and the office; the volunteer's only
 * unlocks the idle gate, and is typed with cold hands many times a day.
 */
export const PIN_DIGITS = { admin: 6, shift: 4 } as const;

/** What is wrong with a new PIN, if anything: digits only, enough of them, typed the same twice. */
export function newPinProblem(
  which: keyof typeof PIN_DIGITS,
  pin: string,
  again: string,
): 'short' | 'mismatch' | undefined {
  if (!/^\d+$/.test(pin) || pin.length < PIN_DIGITS[which]) return 'short';
  if (pin !== again) return 'mismatch';
  return undefined;
}

export const PinHash = z.strictObject({
  salt: base64url,
  hash: base64url,
  iterations: z.int().check(z.minimum(100_000), z.maximum(10_000_000)),
});
export type PinHash = z.infer<typeof PinHash>;

/** A PIN as stored: PBKDF2-SHA-256 with a random salt; the PIN itself is never kept. */
export async function hashPin(pin: string): Promise<PinHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return {
    salt: toBase64Url(salt),
    hash: toBase64Url(await pbkdf2(pin, salt, PIN_ITERATIONS)),
    iterations: PIN_ITERATIONS,
  };
}

export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const hash = toBase64Url(await pbkdf2(pin, fromBase64Url(stored.salt), stored.iterations));
  // Equal-length strings compared in full: no early exit that a timing could reveal.
  let difference = hash.length ^ stored.hash.length;
  for (let i = 0; i < Math.min(hash.length, stored.hash.length); i++)
    difference |= hash.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return difference === 0;
}

/**
 * A private key in a file, sealed with a passphrase (AES-256-GCM under PBKDF2-SHA-256); its key id
 * and public key stay readable.
 */
const sealedKeyFile = <Format extends string>(format: Format, publicKey: typeof IssuerKey) =>
  z.strictObject({
    format: z.literal(format),
    kid: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
    publicKey,
    salt: base64url,
    iv: base64url,
    iterations: z.int().check(z.minimum(100_000), z.maximum(10_000_000)),
    ciphertext: base64url,
  });

/** A sealed file's contents as its schema reads them; undefined for anything else, not-JSON included. */
export function readSealedFile<T>(text: string, schema: z.ZodMiniType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The issuer key's backup. */
export const SealedBackup = sealedKeyFile('kadian-issuer-key-1', IssuerKey);
export type SealedBackup = z.infer<typeof SealedBackup>;

async function aesKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const bits = await pbkdf2(passphrase, salt, iterations);
  return crypto.subtle.importKey('raw', bits, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** Bytes sealed with a passphrase: AES-256-GCM under PBKDF2-SHA-256, `label` authenticated too. */
interface Sealed {
  salt: string;
  iv: string;
  iterations: number;
  ciphertext: string;
}

async function seal(
  plain: Uint8Array<ArrayBuffer>,
  passphrase: string,
  label: string,
): Promise<Sealed> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(passphrase, salt, BACKUP_ITERATIONS);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(label) },
    key,
    plain,
  );
  return {
    salt: toBase64Url(salt),
    iv: toBase64Url(iv),
    iterations: BACKUP_ITERATIONS,
    ciphertext: toBase64Url(new Uint8Array(sealed)),
  };
}

/** The sealed bytes; undefined for a wrong passphrase, a changed label or a damaged file. */
async function unseal(
  sealed: Sealed,
  passphrase: string,
  label: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    const key = await aesKey(passphrase, fromBase64Url(sealed.salt), sealed.iterations);
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: fromBase64Url(sealed.iv),
        additionalData: new TextEncoder().encode(label),
      },
      key,
      fromBase64Url(sealed.ciphertext),
    );
    return new Uint8Array(plain);
  } catch {
    return undefined;
  }
}

/** Seals an issuer's private key (PKCS#8) with a passphrase; the key id and public key stay readable. */
export async function sealBackup(
  pkcs8: Uint8Array<ArrayBuffer>,
  passphrase: string,
  kid: string,
  publicKey: string,
): Promise<SealedBackup> {
  // The key id is authenticated with the ciphertext, so a backup cannot be relabelled.
  return { format: 'kadian-issuer-key-1', kid, publicKey, ...(await seal(pkcs8, passphrase, kid)) };
}

/** The office's private data key, sealed with a passphrase: what a viewer brings to read numbers. */
export const SealedDataKey = sealedKeyFile('kadian-data-key-1', DataKey);
export type SealedDataKey = z.infer<typeof SealedDataKey>;

/** Seals the data key's private half (PKCS#8) with a passphrase; key id and public key readable. */
export async function sealDataKey(
  pkcs8: Uint8Array<ArrayBuffer>,
  passphrase: string,
  kid: string,
  publicKey: DataKey,
): Promise<SealedDataKey> {
  return {
    format: 'kadian-data-key-1',
    kid,
    publicKey,
    ...(await seal(pkcs8, passphrase, `kadian-data-key-1:${kid}`)),
  };
}

/** Opens a sealed data key; undefined for a wrong passphrase or a damaged file. */
export function openDataKey(
  file: SealedDataKey,
  passphrase: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return unseal(file, passphrase, `kadian-data-key-1:${file.kid}`);
}

/** Opens a sealed backup; undefined for a wrong passphrase or a damaged file. */
export function openBackup(
  backup: SealedBackup,
  passphrase: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return unseal(backup, passphrase, backup.kid);
}

/** A device's records sealed for the receiver to import (before a device is wiped). */
export const SealedRecords = z.strictObject({
  format: z.literal('kadian-records-1'),
  deviceId: z.string().check(z.minLength(1), z.maxLength(64)),
  exportedAt: z.int(),
  count: z.int().check(z.nonnegative()),
  salt: base64url,
  iv: base64url,
  iterations: z.int().check(z.minimum(100_000), z.maximum(10_000_000)),
  ciphertext: base64url,
});
export type SealedRecords = z.infer<typeof SealedRecords>;

const recordsLabel = (file: { deviceId: string; exportedAt: number; count: number }) =>
  `kadian-records-1:${file.deviceId}:${file.exportedAt}:${file.count}`;

export async function sealRecords(
  records: unknown[],
  passphrase: string,
  deviceId: string,
  exportedAt: number,
): Promise<SealedRecords> {
  const head = { format: 'kadian-records-1' as const, deviceId, exportedAt, count: records.length };
  const plain = new TextEncoder().encode(JSON.stringify(records)) as Uint8Array<ArrayBuffer>;
  return { ...head, ...(await seal(plain, passphrase, recordsLabel(head))) };
}

/** The records in an export, as they were (still to be checked); undefined if it does not open. */
export async function openRecords(
  file: SealedRecords,
  passphrase: string,
): Promise<unknown[] | undefined> {
  const plain = await unseal(file, passphrase, recordsLabel(file));
  if (!plain) return undefined;
  const records: unknown = JSON.parse(new TextDecoder().decode(plain));
  return Array.isArray(records) && records.length === file.count ? records : undefined;
}

/** Wrong PINs in a row, and until when (ms) the next try must wait. */
export interface PinAttempts {
  wrong: number;
  waitUntil: number;
}

const FREE_TRIES = 3;
const MAX_WAIT_MS = 15 * 60 * 1000;

/**
 * After a wrong PIN: three tries come free, then each further wrong one doubles the wait before the
 * next try (2 s, 4 s, 8 s, … at most 15 minutes), so guessing a 6-digit PIN takes years.
 */
export function afterWrongPin(attempts: PinAttempts | undefined, now: number): PinAttempts {
  const wrong = (attempts?.wrong ?? 0) + 1;
  const wait = wrong < FREE_TRIES ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** (wrong - FREE_TRIES + 1));
  return { wrong, waitUntil: now + wait };
}
