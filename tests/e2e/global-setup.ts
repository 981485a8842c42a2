import { mkdirSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { CAMERA_PASS_TEXT } from '../fixtures/passes';

/**
 * Writes the video Chromium's fake camera plays: 640×480 frames (Y4M, 4:2:0) showing the QR code
 * of a pass, black modules on white with a quiet zone, chroma neutral. The code is drawn at a few
 * sizes, as a hand holds it nearer and further: the decoder can miss a code at one size for good.
 */
export function qrVideo(text: string): Buffer {
  const width = 640;
  const height = 480;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cells = modules.size + 2 * quiet;
  const largest = Math.floor(Math.min(width, height) / cells);
  const frame = (scale: number) => {
    const left = Math.floor((width - cells * scale) / 2);
    const top = Math.floor((height - cells * scale) / 2);
    const luma = Buffer.alloc(width * height, 255);
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size; x++) {
        if (!modules.get(x, y)) continue;
        for (let dy = 0; dy < scale; dy++) {
          const row = (top + (y + quiet) * scale + dy) * width + left + (x + quiet) * scale;
          luma.fill(0, row, row + scale);
        }
      }
    }
    return luma;
  };
  return y4mFrames([largest, largest - 1, largest - 2].map(frame), width, height);
}

/**
 * Grey pictures (a byte per pixel) as the Y4M video Chromium's fake camera plays in a loop, ten a
 * second, chroma neutral.
 */
export function y4mFrames(lumas: Buffer[], width: number, height: number): Buffer {
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([
    header,
    ...lumas.flatMap((luma) => [Buffer.from('FRAME\n'), luma, chroma]),
  ]);
}

export default function globalSetup(): void {
  mkdirSync('tests/.generated', { recursive: true });
  writeFileSync('tests/.generated/pass-qr.y4m', qrVideo(CAMERA_PASS_TEXT));
}
