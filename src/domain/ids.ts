/** Fills a byte array with randomness; crypto.getRandomValues in every runtime we have. */
export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness, so ids made on one
 * device sort by time.
 */
export function uuidV7(nowMs: number, fill: RandomFill): string {
  const bytes = fill(new Uint8Array(16));
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A short device id such as dev-7f3a09c2. */
export function newDeviceId(fill: RandomFill): string {
  return `dev-${hex(fill(new Uint8Array(4)))}`;
}
