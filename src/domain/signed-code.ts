import type * as z from 'zod/mini';
import { fromBase64Url, toBase64Url } from './base64url';

/**
 * The shape pass cards (`KD1.`) and setup codes (`KDS1.`) share: prefix + base64url(payload JSON)
 * + `.` + base64url(Ed25519 signature over the ASCII of prefix + base64url(payload)).
 */
export interface SignedCode<T> {
  payload: T;
  /** The ASCII bytes the signature covers. */
  signed: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

export async function encodeSigned(
  prefix: string,
  payload: unknown,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  const head = `${prefix}${toBase64Url(new TextEncoder().encode(JSON.stringify(payload)))}`;
  return `${head}.${toBase64Url(await sign(new TextEncoder().encode(head)))}`;
}

/**
 * Reads a signed code with this prefix and payload schema; undefined for anything else. White space
 * around the code (a scanner's line end, a pasted line) is not part of it. Never throws.
 */
export function readSigned<T>(
  input: string,
  prefix: string,
  maxLength: number,
  schema: z.ZodMiniType<T>,
): SignedCode<T> | undefined {
  try {
    const text = typeof input === 'string' ? input.trim() : '';
    if (text.length > maxLength || !text.startsWith(prefix)) return undefined;
    const parts = text.split('.');
    if (parts.length !== 3 || !parts[1] || !parts[2]) return undefined;
    const json = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(parts[1]));
    const payload = schema.safeParse(JSON.parse(json));
    const signature = fromBase64Url(parts[2]);
    if (!payload.success || signature.length !== 64) return undefined;
    const signed = new TextEncoder().encode(`${prefix}${parts[1]}`) as Uint8Array<ArrayBuffer>;
    return { payload: payload.data, signed, signature };
  } catch {
    return undefined;
  }
}
