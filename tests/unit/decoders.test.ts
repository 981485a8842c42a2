import { afterEach, describe, expect, it } from 'vitest';
import { bestDecoder, nativeDecoder } from '../../src/scan/decoders';

/** A BarcodeDetector as a browser may have it: reading, or failing in one of the ways seen. */
function detector({
  formats = ['qr_code', 'ean_13'] as string[] | (() => never),
  construct = () => {},
  found = [{ rawValue: 'KD1.abc.def' }],
}: {
  formats?: string[] | (() => never);
  construct?: () => void;
  found?: { rawValue: string }[];
} = {}) {
  const made: { formats: string[] }[] = [];
  class Stub {
    static getSupportedFormats = async () => (typeof formats === 'function' ? formats() : formats);
    constructor(options: { formats: string[] }) {
      construct();
      made.push(options);
    }
    async detect() {
      return found;
    }
  }
  return { Stub, made };
}

const frame = { width: 1, height: 1, data: new Uint8ClampedArray(4) } as ImageData;

afterEach(() => {
  delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector;
});

describe('choosing the camera’s decoder', () => {
  it('takes the browser’s BarcodeDetector only when it says it reads QR codes', async () => {
    const { Stub, made } = detector();
    const native = await nativeDecoder({ BarcodeDetector: Stub });
    expect(native?.name).toBe('native');
    expect(made).toEqual([{ formats: ['qr_code'] }]);
    expect(await native?.read(frame)).toBe('KD1.abc.def');
    const nothing = detector({ found: [] });
    expect(await (await nativeDecoder({ BarcodeDetector: nothing.Stub }))?.read(frame)).toBeNull();
  });

  it('passes over a BarcodeDetector that is missing, lists no QR, or throws (as some Android browsers’ do)', async () => {
    expect(await nativeDecoder({})).toBeUndefined();
    expect(await nativeDecoder({ BarcodeDetector: {} })).toBeUndefined();
    expect(
      await nativeDecoder({ BarcodeDetector: detector({ formats: ['ean_13'] }).Stub }),
    ).toBeUndefined();
    const throwing = detector({
      formats: () => {
        throw new TypeError('getSupportedFormats is not implemented');
      },
    });
    expect(await nativeDecoder({ BarcodeDetector: throwing.Stub })).toBeUndefined();
    const unbuildable = detector({
      construct: () => {
        throw new DOMException('Barcode detection service unavailable.', 'NotSupportedError');
      },
    });
    expect(await nativeDecoder({ BarcodeDetector: unbuildable.Stub })).toBeUndefined();
  });

  it('prefers the browser’s own when it has one, checking once', async () => {
    const { Stub, made } = detector();
    Object.assign(globalThis, { BarcodeDetector: Stub });
    const first = await bestDecoder();
    expect(first?.name).toBe('native');
    expect(await bestDecoder()).toBe(first);
    expect(made).toHaveLength(1);
  });
});
