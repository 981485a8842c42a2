import { toHex } from './base64url';
/** Fills a byte array with randomness; crypto.getRandomValues in every runtime we have. */
export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness, so ids made on one
 * device sort by time.
 */
export function uuidV7(nowMs: number, fill: RandomFill, counter?: number): string {
  const bytes = fill(new Uint8Array(16));
  if (counter !== undefined) {
    bytes[6] = counter >> 8;
    bytes[7] = counter & 0xff;
  }
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const h = toHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Makes UUID v7s that strictly increase, even within one millisecond or when the clock steps back
 * (RFC 9562 §6.2 method 1: a 12-bit counter in rand_a), so records sort in the order they were made.
 */
export function uuidV7Generator(fill: RandomFill): (nowMs: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (nowMs) => {
    if (nowMs > lastMs) {
      lastMs = nowMs;
      // A random start with headroom, so a burst within one millisecond rarely overflows.
      counter = (fill(new Uint8Array(1))[0] ?? 0) << 2;
    } else if (++counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    return uuidV7(lastMs, fill, counter);
  };
}

/** A short device id such as dev-7f3a09c2. */
export function newDeviceId(fill: RandomFill): string {
  return `dev-${toHex(fill(new Uint8Array(4)))}`;
}
