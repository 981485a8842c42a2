import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { CAMERA_PASS, CAMERA_PASS_TEXT } from '../fixtures/passes';
import { degraded, type StepName } from '../fixtures/qr-corpus';
import { y4mFrames } from './global-setup';
import { setUpDevice, watchCspViolations } from './helpers';

/** Chromium's fake camera playing a pass card through `steps` (three frames, their noise apart). */
function degradedVideo(name: string, steps: StepName[]): string {
  const frames = [1, 2, 3].map((seed) =>
    Buffer.from(degraded(CAMERA_PASS_TEXT, 640, 480, steps, { seed }).buffer),
  );
  const file = resolve(`tests/.generated/${name}.y4m`);
  writeFileSync(file, y4mFrames(frames, 640, 480));
  return file;
}

// Frames html5-qrcode's own decoder misses on the corpus (bench/decoders.bench.ts) and the shipped
// decoder reads: the card tilted 30° away in dim light; tilted 40°.
for (const [name, steps] of [
  ['tilted in dim light', ['key-30', 'dark']],
  ['tilted 40°', ['key-40']],
] as [string, StepName[]][])
  test(`the gate's camera reads a card ${name}`, async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs(degradedVideo(name.replace(/\W+/g, '-'), steps)),
    });
    try {
      const context = await browser.newContext({
        locale: 'zh-CN',
        baseURL: test.info().project.use.baseURL,
        permissions: ['camera'],
      });
      const cspViolations = await watchCspViolations(context);
      const gate = await context.newPage();
      await setUpDevice(gate);
      await gate.getByRole('button', { name: '打开摄像头扫码' }).click();
      await expect(gate.locator(`.verdict[data-pass-id="${CAMERA_PASS.passId}"]`)).toContainText(
        '无法核验 · 进',
        { timeout: 30_000 },
      );
      await expect(gate.locator('.scanner')).toHaveAttribute('data-decoder', 'zxing-wasm');
      expect(await cspViolations()).toEqual([]);
    } finally {
      await browser.close();
    }
  });
