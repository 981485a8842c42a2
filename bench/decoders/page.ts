// The decoders side by side on the generated corpus, in the page (served by the dev server, so
// the modules are the app's own): html5-qrcode's decoder (its ZXing-js, as its camera loop calls
// it), the browser's BarcodeDetector where it has one, zxing-wasm with each binarizer, and the
// combination the app ships (src/scan/decoders.ts), each frame timed.
import { BaseLoggger, Html5QrcodeSupportedFormats } from 'html5-qrcode/esm/core';
import { ZXingHtml5QrcodeDecoder } from 'html5-qrcode/esm/zxing-html5-qrcode-decoder';
import { bestDecoder, nativeDecoder, wasmDecoder } from '../../src/scan/decoders';
import { corpus, rgba } from '../../tests/fixtures/qr-corpus';

export interface Outcome {
  decoder: string;
  kind: string;
  name: string;
  read: boolean;
  ms: number;
}

async function run(): Promise<{ outcomes: Outcome[]; shipped: string; native: boolean }> {
  const frames = corpus();
  const zxingJs = new ZXingHtml5QrcodeDecoder(
    [Html5QrcodeSupportedFormats.QR_CODE],
    false,
    new BaseLoggger(false),
  );
  const native = await nativeDecoder();
  const wasm = await wasmDecoder();
  const shipped = await bestDecoder();
  const outcomes: Outcome[] = [];
  const timed = async (
    decoder: string,
    frame: (typeof frames)[number],
    read: () => Promise<string | null>,
  ) => {
    const start = performance.now();
    const text = await read().catch(() => null);
    outcomes.push({
      decoder,
      kind: frame.kind,
      name: frame.name,
      read: text === frame.text,
      ms: performance.now() - start,
    });
  };
  for (const frame of frames) {
    // Every decoder gets what the camera's loop gives it: the aiming box, the centre square of
    // 80% of the frame's shorter side.
    const whole = document.createElement('canvas');
    whole.width = frame.width;
    whole.height = frame.height;
    whole
      .getContext('2d')
      ?.putImageData(new ImageData(rgba(frame), frame.width, frame.height), 0, 0);
    const side = Math.round(Math.min(frame.width, frame.height) * 0.8);
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context?.drawImage(
      whole,
      (frame.width - side) / 2,
      (frame.height - side) / 2,
      side,
      side,
      0,
      0,
      side,
      side,
    );
    const image = context?.getImageData(0, 0, side, side) as ImageData;
    // What its camera loop calls on each frame's canvas.
    await timed(
      'html5-qrcode (ZXing-js)',
      frame,
      async () => (await zxingJs.decodeAsync(canvas)).text,
    );
    if (native) await timed('BarcodeDetector', frame, () => native.read(image));
    if (wasm) {
      await timed('zxing-wasm', frame, () => wasm.read(image));
    }
    // What the app ships: the first of these this browser has (here, where it has no
    // BarcodeDetector, the same engine as the line above, read again).
    if (shipped) await timed(`shipped (${shipped.name})`, frame, () => shipped.read(image));
  }
  return { outcomes, shipped: shipped?.name ?? 'html5-qrcode', native: native !== undefined };
}

Object.assign(window, { runDecoders: run });
