import { expect, test } from '@playwright/test';
import { setUpDevice } from '../tests/e2e/helpers';
import { kd1 } from '../tests/fixtures/passes';
import { degraded } from '../tests/fixtures/qr-corpus';
import { figures } from './shared';

const CARDS = 15;
const WIDTH = 640;
const HEIGHT = 480;

test('through the camera: a card tilted 30° in dim light coming into view → the verdict on screen', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The camera is a canvas the page draws on (its stream at 30 frames a second): the benchmark
  // knows the moment a card comes into view, which Chromium's fake camera file does not tell.
  await page.addInitScript(
    ({ width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.fillStyle = '#808080';
      context.fillRect(0, 0, width, height);
      const stream = canvas.captureStream(30);
      const track = stream.getVideoTracks()[0] as MediaStreamTrack;
      Object.assign(window, { benchCamera: { context } });
      navigator.mediaDevices.getUserMedia = async () => new MediaStream([track.clone()]);
      navigator.mediaDevices.enumerateDevices = async () => [];
      // Keep drawing: a canvas stream sends frames only when the canvas changes.
      const tick = () => {
        context.globalAlpha = 0.004;
        context.fillRect(0, 0, 1, 1);
        context.globalAlpha = 1;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    { width: WIDTH, height: HEIGHT },
  );
  await setUpDevice(page);
  await page.getByRole('button', { name: '打开摄像头扫码' }).click();
  await expect(page.locator('.scanner')).toHaveAttribute('data-decoder', /./);
  const decoder = await page.locator('.scanner').getAttribute('data-decoder');

  const cards = Array.from({ length: CARDS }, (_, card) => {
    const passId = `a1b2c3d4-0009${String(card).padStart(2, '0')}`;
    const grey = degraded(kd1(passId, `hh-09${card}`), WIDTH, HEIGHT, ['key-30', 'dark'], {
      seed: card + 1,
    });
    return { passId, grey: Buffer.from(grey.buffer).toString('base64') };
  });
  const timings = await page.evaluate(
    async ({ cards, width, height }) => {
      const { context } = (
        window as unknown as { benchCamera: { context: CanvasRenderingContext2D } }
      ).benchCamera;
      const shown = (passId: string) =>
        new Promise<number>((resolve) => {
          const found = () => document.querySelector(`.verdict[data-pass-id="${passId}"]`);
          if (found()) return resolve(performance.now());
          const observer = new MutationObserver(() => {
            if (!found()) return;
            observer.disconnect();
            resolve(performance.now());
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        });
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const result: number[] = [];
      for (const card of cards) {
        // An empty view for a moment, then the card held up: timed from the frame it is drawn on.
        context.fillStyle = '#808080';
        context.fillRect(0, 0, width, height);
        await pause(400);
        const bytes = Uint8Array.from(atob(card.grey), (c) => c.charCodeAt(0));
        const image = new ImageData(width, height);
        for (let i = 0; i < bytes.length; i++) {
          image.data.set([bytes[i] as number, bytes[i] as number, bytes[i] as number, 255], i * 4);
        }
        const start = performance.now();
        context.putImageData(image, 0, 0);
        // Not read within 5 s: a miss (NaN), and on to the next card.
        const at = await Promise.race([shown(card.passId), pause(5000).then(() => Number.NaN)]);
        result.push(at - start);
        // The volunteer skips the temperature: the gate is ready for the next card.
        const skip = [...document.querySelectorAll('button')].find(
          (button) => button.textContent?.trim() === '跳过测温',
        );
        skip?.click();
        await pause(100);
      }
      return result;
    },
    { cards, width: WIDTH, height: HEIGHT },
  );
  expect(timings).toHaveLength(CARDS);
  const read = timings.filter((ms) => !Number.isNaN(ms));
  expect(read.length).toBeGreaterThan(0);
  const sorted = [...read].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(sorted.length * 0.95) - 1] ?? Number.NaN;
  console.log(
    `\ncard tilted 30° in dim light (640×480) coming into the camera's view → verdict on screen, ${read.length} of ${CARDS} cards read within 5 s, decoder ${decoder}: ${figures(read)}; p95 ÷ the goal of 1,000 ms: ${(p95 / 1000).toFixed(2)}\n`,
  );
});
