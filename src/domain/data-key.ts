// Personal fields encrypted at capture to the office's data key (ECDH P-256 + HKDF-SHA-256 +
// AES-256-GCM through WebCrypto, one ephemeral key per field). The device keeps the ciphertext and
// the masked form only; whoever holds the office's private key reads the number. No I/O.
import { fromBase64Url, toBase64Url, toHex } from './base64url';
import { keyId, type WebCryptoKey, type WebCryptoKeyPair } from './ed25519';
import { type DataKey, Sealed } from './fields';
import { maskIdNumber } from './identity';
import { maskMobile } from './phone';
import { isPersonal, type KadianRecord, type PersonalKind } from './records';

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const VERSION = 1;
const KID_BYTES = 4;
const POINT_BYTES = 65;
const IV_BYTES = 12;

/** Which text a field's ciphertext is bound to: its record and name, so it cannot be moved. */
const boundTo = (recordId: string, field: string) =>
  new TextEncoder().encode(`kadian-field-1:${recordId}:${field}`);

async function aesKey(
  privateKey: WebCryptoKey,
  publicKey: WebCryptoKey,
  salt: Uint8Array<ArrayBuffer>,
  usage: 'encrypt' | 'decrypt',
) {
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: publicKey },
    privateKey,
    256,
  );
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode('kadian-field-1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/**
 * Encrypts one field to the data key. The text: version byte, the data key's id (4 bytes), the
 * ephemeral public point (65), the IV (12), the AES-GCM ciphertext and tag; base64url.
 */
export async function sealField(
  plain: string,
  dataKey: DataKey,
  recordId: string,
  field: string,
): Promise<string> {
  const raw = fromBase64Url(dataKey);
  const office = await crypto.subtle.importKey('raw', raw, ECDH, false, []);
  const ephemeral = (await crypto.subtle.generateKey(ECDH, true, [
    'deriveBits',
  ])) as WebCryptoKeyPair;
  const point = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const kid = hexBytes(await keyId(raw));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await aesKey(ephemeral.privateKey, office, point, 'encrypt');
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: boundTo(recordId, field) },
      key,
      new TextEncoder().encode(plain),
    ),
  );
  return toBase64Url(new Uint8Array([VERSION, ...kid, ...point, ...iv, ...ciphertext]));
}

/** The field's text; undefined when it was sealed to another key, moved, or damaged. */
export async function openField(
  enc: string,
  privateKey: WebCryptoKey,
  kid: string,
  recordId: string,
  field: string,
): Promise<string | undefined> {
  try {
    const bytes = fromBase64Url(enc);
    const head = 1 + KID_BYTES;
    if (bytes[0] !== VERSION || toHex(bytes.subarray(1, head)) !== kid) return undefined;
    const point = bytes.slice(head, head + POINT_BYTES);
    const iv = bytes.slice(head + POINT_BYTES, head + POINT_BYTES + IV_BYTES);
    const ephemeral = await crypto.subtle.importKey('raw', point, ECDH, false, []);
    const key = await aesKey(privateKey, ephemeral, point, 'decrypt');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: boundTo(recordId, field) },
      key,
      bytes.slice(head + POINT_BYTES + IV_BYTES),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}

const hexBytes = (hex: string) =>
  Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));

/**
 * The personal fields of each kind of record, with how each is masked (a household's members are
 * sealed one by one). Keyed by PersonalKind: a kind listed here is one the app seals.
 */
const PERSONAL: Partial<Record<PersonalKind, Record<string, (text: string) => string>>> = {
  'visitor-in': { idNumber: maskIdNumber, phone: maskMobile },
};

/** A record with its personal fields sealed to the data key (those already sealed stay as they are). */
export async function sealPersonalData(
  record: KadianRecord,
  dataKey: DataKey,
): Promise<KadianRecord> {
  if (!isPersonal(record.kind)) return record;
  // A household's ID numbers, member by member (its phone stays readable: volunteers call it).
  if (record.kind === 'isolation-start') {
    const members = await Promise.all(
      record.data.members.map(async (member, i) =>
        typeof member.idNumber === 'string'
          ? {
              ...member,
              idNumber: {
                enc: await sealField(member.idNumber, dataKey, record.id, `members.${i}.idNumber`),
                masked: maskIdNumber(member.idNumber),
              },
            }
          : member,
      ),
    );
    return { ...record, data: { ...record.data, members } };
  }
  const fields = PERSONAL[record.kind];
  if (!fields) return record;
  const data: Record<string, unknown> = { ...record.data };
  for (const [field, mask] of Object.entries(fields)) {
    const value = data[field];
    if (typeof value !== 'string') continue;
    const sealed: Sealed = {
      enc: await sealField(value, dataKey, record.id, field),
      masked: mask(value),
    };
    data[field] = sealed;
  }
  return { ...record, data } as KadianRecord;
}

/**
 * A record with the personal fields sealed to this key opened (for a person holding the office's
 * private key); a field that does not open keeps its sealed form.
 */
export async function openPersonalData(
  record: KadianRecord,
  privateKey: WebCryptoKey,
  kid: string,
): Promise<KadianRecord> {
  if (record.kind === 'isolation-start') {
    const members = await Promise.all(
      record.data.members.map(async (member, i) => {
        const sealed = Sealed.safeParse(member.idNumber);
        if (!sealed.success) return member;
        const plain = await openField(
          sealed.data.enc,
          privateKey,
          kid,
          record.id,
          `members.${i}.idNumber`,
        );
        return plain === undefined ? member : { ...member, idNumber: plain };
      }),
    );
    return { ...record, data: { ...record.data, members } };
  }
  const fields = isPersonal(record.kind) ? PERSONAL[record.kind] : undefined;
  if (!fields) return record;
  const data: Record<string, unknown> = { ...record.data };
  for (const field of Object.keys(fields)) {
    const value = Sealed.safeParse(data[field]);
    if (!value.success) continue;
    const plain = await openField(value.data.enc, privateKey, kid, record.id, field);
    if (plain !== undefined) data[field] = plain;
  }
  return { ...record, data } as KadianRecord;
}

/** A new data key pair (the private half extractable once, for its sealed backup). */
export async function generateDataKey(): Promise<{
  publicKey: DataKey;
  pkcs8: Uint8Array<ArrayBuffer>;
  kid: string;
}> {
  const pair = (await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])) as WebCryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey: toBase64Url(raw),
    pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
    kid: await keyId(raw),
  };
}

/** The private data key from its PKCS#8 bytes, usable only to open fields. */
export function importDataKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<WebCryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits']);
}
