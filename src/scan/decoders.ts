// The decoders the camera's frames go to, best first: the browser's own BarcodeDetector when it
// really reads QR codes (checked once, every failure caught: some Chromium-based Android browsers
// have the class but throw from it), else ZXing's C++ reader compiled to WebAssembly, its .wasm
// served from our own origin and precached (never a CDN's). Where neither loads, html5-qrcode's
// own decoder stays on. Part of the lazily loaded scanner chunk.
import type { ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** One way of reading a frame: the text of the QR code in it, or null. */
export interface FrameDecoder {
  name: 'native' | 'zxing-wasm';
  read(frame: ImageData): Promise<string | null>;
}

interface DetectorClass {
  new (options: {
    formats: string[];
  }): { detect(image: ImageData): Promise<{ rawValue: string }[]> };
  getSupportedFormats(): Promise<string[]>;
}

/** The browser's BarcodeDetector, when it exists and says it reads QR codes; undefined otherwise. */
export async function nativeDecoder(
  scope: { BarcodeDetector?: unknown } = globalThis as { BarcodeDetector?: unknown },
): Promise<FrameDecoder | undefined> {
  try {
    const Detector = scope.BarcodeDetector as DetectorClass | undefined;
    if (typeof Detector !== 'function') return undefined;
    const formats = await Detector.getSupportedFormats();
    if (!Array.isArray(formats) || !formats.includes('qr_code')) return undefined;
    const detector = new Detector({ formats: ['qr_code'] });
    return {
      name: 'native',
      read: async (frame) => (await detector.detect(frame))[0]?.rawValue ?? null,
    };
  } catch {
    return undefined;
  }
}

/**
 * How zxing-wasm reads a frame: its defaults (the local-average binarizer, downscaling large
 * frames) and trying harder. On the generated corpus neither its other binarizers, nor denoising,
 * nor a contrast stretch read a frame these miss (bench/decoders.bench.ts).
 */
const WASM_OPTIONS: ReaderOptions = { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 };

/** ZXing's reader in WebAssembly, its .wasm from this origin; undefined when it cannot load. */
export async function wasmDecoder(): Promise<FrameDecoder | undefined> {
  try {
    const zxing = await import('zxing-wasm/reader');
    await zxing.prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) =>
          path.endsWith('.wasm') ? wasmUrl : prefix + path,
      },
      fireImmediately: true,
    });
    return {
      name: 'zxing-wasm',
      read: async (frame) => {
        const [result] = await zxing.readBarcodes(frame, WASM_OPTIONS);
        return result?.isValid ? result.text : null;
      },
    };
  } catch {
    return undefined;
  }
}

let chosen: Promise<FrameDecoder | undefined> | undefined;

/** The best decoder this browser has, chosen once; undefined: html5-qrcode's own reads. */
export function bestDecoder(): Promise<FrameDecoder | undefined> {
  chosen ??= nativeDecoder().then(async (native) => native ?? (await wasmDecoder()));
  return chosen;
}
