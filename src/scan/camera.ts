// The camera and QR decoding: the only importer of html5-qrcode. The app loads this module lazily
// (it is ~107 KB gzip), and the service worker precaches the chunk so scanning works offline.
import { Html5Qrcode, Html5QrcodeScannerState, Html5QrcodeSupportedFormats } from 'html5-qrcode';

/** Why the camera could not start, in the four cases a volunteer can act on. */
export type CameraProblem = 'denied' | 'missing' | 'busy' | 'failed';

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(`camera ${problem}`);
  }
}

// QR only: decoding tries each enabled format, and one format is about four times faster.
const QR_ONLY = { formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE], verbose: false };

export function cameraProblem(error: unknown): CameraProblem {
  const text = `${(error as { name?: string })?.name ?? ''} ${String(error)}`;
  if (/NotAllowed|Permission|SecurityError/i.test(text)) return 'denied';
  if (/NotFound|DevicesNotFound|OverconstrainedError|no camera/i.test(text)) return 'missing';
  if (/NotReadable|TrackStart|in use|Could not start video source/i.test(text)) return 'busy';
  return 'failed';
}

export interface CameraScanner {
  stop: () => Promise<void>;
}

/** Shows the back camera in the element and calls onDecoded with each QR text it reads. */
export async function startCamera(
  elementId: string,
  onDecoded: (text: string) => void,
): Promise<CameraScanner> {
  const scanner = new Html5Qrcode(elementId, QR_ONLY);
  try {
    await scanner.start(
      { facingMode: 'environment' },
      {
        fps: 10,
        qrbox: (width, height) => ({
          width: Math.min(width, height) * 0.8,
          height: Math.min(width, height) * 0.8,
        }),
      },
      (text) => onDecoded(text),
      () => {},
    );
  } catch (error) {
    throw new CameraError(cameraProblem(error));
  }
  return {
    stop: async () => {
      if (scanner.getState() !== Html5QrcodeScannerState.NOT_STARTED) await scanner.stop();
      scanner.clear();
    },
  };
}

/**
 * Longest sides a photo is decoded at, tried in turn. The library decodes an image at its own size,
 * and its binarizer misses some codes at one scale that it reads at another (a dense setup code,
 * a phone photo of a print): the photo is redrawn at each size and read again.
 */
const PHOTO_SIDES = [2000, 1600, 1300, 1000, 800, 650, 500, 400];
const [LARGEST_SIDE = 2000] = PHOTO_SIDES;

/** Reads the QR code in a photo; null when there is none. */
export async function decodeImageFile(file: File): Promise<string | null> {
  // The decoder wants an element to draw into: one off screen.
  const element = document.createElement('div');
  element.id = `kd-photo-${crypto.randomUUID()}`;
  element.setAttribute('aria-hidden', 'true');
  Object.assign(element.style, { position: 'fixed', left: '-10000px', top: '0' });
  document.body.append(element);
  const scanner = new Html5Qrcode(element.id, QR_ONLY);
  let image: ImageBitmap | undefined;
  try {
    image = await createImageBitmap(file);
    const longest = Math.max(image.width, image.height);
    const first = Math.min(longest, LARGEST_SIDE);
    // Its own size first; then every other size, nearest first, larger ones too: a small or
    // tightly cropped photo may be read only once enlarged.
    const distance = (side: number) => Math.abs(Math.log(side / first));
    const others = PHOTO_SIDES.filter((side) => side !== first).sort(
      (a, b) => distance(a) - distance(b),
    );
    for (const side of [first, ...others]) {
      try {
        return await scanner.scanFile(await redrawn(image, side / longest), false);
      } catch {
        // No code found at this size: try the next.
      }
    }
    return null;
  } catch {
    return null; // Not an image the browser can read.
  } finally {
    image?.close();
    scanner.clear();
    element.remove();
  }
}

async function redrawn(image: ImageBitmap, scale: number): Promise<File> {
  const canvas = new OffscreenCanvas(
    Math.round(image.width * scale),
    Math.round(image.height * scale),
  );
  const context = canvas.getContext('2d');
  // Enlarged without smoothing: a module stays a sharp square instead of a blur.
  if (context && scale > 1) context.imageSmoothingEnabled = false;
  context?.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'photo.png');
}
