// The camera and QR decoding: the only importer of html5-qrcode, which keeps the camera and draws
// the frames; they go to the best decoder this browser has (decoders.ts). The app loads this module lazily
// (it is ~107 KB gzip, and zxing-wasm's reader comes after it), and the service worker precaches
// them so scanning works offline.
import { Html5Qrcode, Html5QrcodeScannerState, Html5QrcodeSupportedFormats } from 'html5-qrcode';
import { bestDecoder, type FrameDecoder } from './decoders';

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
  /** The camera's own light, where it has one: switched on or off. */
  torch?: (on: boolean) => Promise<void>;
  /** The device's cameras, when it has more than one, and the one in use. */
  cameras: { id: string; label: string }[];
  cameraId?: string;
  /** Which decoder reads the frames (the browser's, zxing-wasm, or the library's own). */
  decoder: 'native' | 'zxing-wasm' | 'html5-qrcode';
  /** Stops decoding (the video stays) while true, and starts it again. */
  pause: (paused: boolean) => void;
}

/**
 * Shows a camera in the element (the one chosen before, else the back camera) and calls onDecoded
 * with each QR text it reads. The library's own drawing (its shaded box) is hidden by the page's
 * styles; the page draws its own aiming box over the same square, 80% of the shorter side.
 */
export async function startCamera(
  elementId: string,
  onDecoded: (text: string) => void,
  cameraId?: string,
): Promise<CameraScanner> {
  const scanner = new Html5Qrcode(elementId, QR_ONLY);
  const config = {
    fps: FRAMES_PER_SECOND,
    // A card's code is never mirrored: one decode a frame, not a second of the mirror image.
    disableFlip: true,
    qrbox: (width: number, height: number) => ({
      width: Math.min(width, height) * AIM,
      height: Math.min(width, height) * AIM,
    }),
  };
  const start = (camera: string | MediaTrackConstraints) =>
    scanner.start(
      camera,
      config,
      (text) => onDecoded(text),
      () => {},
    );
  try {
    // A camera chosen before may be gone (another phone, a USB camera unplugged): then the back one.
    await (cameraId ? start(cameraId).catch(() => start(BACK)) : start(BACK));
  } catch (error) {
    throw new CameraError(cameraProblem(error));
  }
  // A better decoder than the library's own where this browser has one (the library's reads the
  // first frames while it loads, the first time).
  const decoder = await bestDecoder();
  const used = decoder && useDecoder(scanner, decoder) ? decoder.name : 'html5-qrcode';
  const running = scanner.getRunningTrackSettings();
  const torch = scanner.getRunningTrackCameraCapabilities().torchFeature();
  // Listed, not opened (the library's getCameras opens a second stream, which stalls some
  // cameras): labels are readable once the camera is allowed, as it is now.
  const cameras = (await navigator.mediaDevices.enumerateDevices().catch(() => []))
    .filter((device) => device.kind === 'videoinput')
    .map((device) => ({ id: device.deviceId, label: device.label }));
  return {
    decoder: used,
    pause: (paused) => {
      const state = scanner.getState();
      if (paused && state === Html5QrcodeScannerState.SCANNING) scanner.pause(false);
      if (!paused && state === Html5QrcodeScannerState.PAUSED) scanner.resume();
    },
    stop: async () => {
      if (scanner.getState() !== Html5QrcodeScannerState.NOT_STARTED) await scanner.stop();
      scanner.clear();
    },
    ...(torch.isSupported() && { torch: (on: boolean) => torch.apply(on) }),
    cameras: cameras.length > 1 ? cameras : [],
    ...(running.deviceId && { cameraId: running.deviceId }),
  };
}

/**
 * Frames decoded per second at most: an old phone's CPU is not pegged, and a card held up for a
 * second is still read several times over (a frame takes a few milliseconds to decode).
 */
const FRAMES_PER_SECOND = 8;

/**
 * Hands the scanner's frames to a better decoder. html5-qrcode 2.3.8 (pinned) draws the aiming
 * box of each frame on a canvas and gives it to its `qrcode` object's decodeAsync, once a frame,
 * `fps` times a second at most; ours takes that object's place. The library's canvas is at the
 * size the video is shown (a 384-pixel box of a 640×480 camera drawn at 300 or fewer): ours reads
 * the same box from the video at the camera's own resolution. False when the field is not there
 * (another version of the library): its own decoder then stays.
 */
function useDecoder(scanner: Html5Qrcode, decoder: FrameDecoder): boolean {
  const internals = scanner as unknown as { qrcode?: unknown };
  if (typeof internals.qrcode !== 'object' || internals.qrcode === null) return false;
  const full = document.createElement('canvas');
  const fullContext = full.getContext('2d', { willReadFrequently: true });
  const frameOf = (canvas: HTMLCanvasElement) => {
    const video = canvas.parentElement?.querySelector('video');
    if (!video?.videoWidth || !fullContext) {
      const shown = canvas.getContext('2d', { willReadFrequently: true });
      return shown?.getImageData(0, 0, canvas.width, canvas.height);
    }
    const side = Math.round(Math.min(video.videoWidth, video.videoHeight) * AIM);
    if (full.width !== side) Object.assign(full, { width: side, height: side });
    const left = (video.videoWidth - side) / 2;
    const top = (video.videoHeight - side) / 2;
    fullContext.drawImage(video, left, top, side, side, 0, 0, side, side);
    return fullContext.getImageData(0, 0, side, side);
  };
  internals.qrcode = {
    async decodeAsync(canvas: HTMLCanvasElement) {
      const frame = frameOf(canvas);
      const text = frame && (await decoder.read(frame));
      // As the library's decoders do: a frame without a code is a rejection.
      if (!text) throw new Error('no QR code in this frame');
      return { text };
    },
  };
  return true;
}

/** The share of the frame's shorter side the code is looked for in (and the aiming box shows). */
const AIM = 0.8;
const BACK = { facingMode: 'environment' };

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
    const sides = [first, ...others];
    // The better decoder first, at each size (it finds most in one go); then the library's.
    const decoder = await bestDecoder();
    if (decoder)
      for (const side of sides) {
        const context = redrawn(image, side / longest).getContext('2d');
        const frame = context?.getImageData(0, 0, context.canvas.width, context.canvas.height);
        const text = frame && (await decoder.read(frame).catch(() => null));
        if (text) return text;
      }
    for (const side of sides) {
      try {
        const canvas = redrawn(image, side / longest);
        const png = await canvas.convertToBlob({ type: 'image/png' });
        return await scanner.scanFile(new File([png], 'photo.png'), false);
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

function redrawn(image: ImageBitmap, scale: number): OffscreenCanvas {
  const canvas = new OffscreenCanvas(
    Math.round(image.width * scale),
    Math.round(image.height * scale),
  );
  const context = canvas.getContext('2d', { willReadFrequently: true });
  // Enlarged without smoothing: a module stays a sharp square instead of a blur.
  if (context && scale > 1) context.imageSmoothingEnabled = false;
  context?.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas;
}
