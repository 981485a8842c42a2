import { expect, test } from '@playwright/test';
import type { Outcome } from './decoders/page';
import { DECODERS_PORT } from './playwright.config';
import { figures } from './shared';

test('QR decoders side by side on the generated corpus of degraded camera frames', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.goto(`http://127.0.0.1:${DECODERS_PORT}/bench/decoders/index.html`);
  await page.waitForFunction(() => 'runDecoders' in window);
  const { outcomes, shipped, native } = await page.evaluate(() =>
    (
      window as unknown as {
        runDecoders: () => Promise<{ outcomes: Outcome[]; shipped: string; native: boolean }>;
      }
    ).runDecoders(),
  );
  const decoders = [...new Set(outcomes.map((outcome) => outcome.decoder))];
  const kinds = [...new Set(outcomes.map((outcome) => outcome.kind))];
  const frames = outcomes.filter((outcome) => outcome.decoder === decoders[0]).length;
  expect(frames).toBeGreaterThan(100);
  const rate = (decoder: string, kind?: string) => {
    const rows = outcomes.filter(
      (o) => o.decoder === decoder && (kind === undefined || o.kind === kind),
    );
    return `${rows.filter((o) => o.read).length}/${rows.length}`;
  };
  const lines = [
    `\nQR decoders on ${frames} generated frames (640×480 and 1280×720; the browser ${native ? 'has' : 'has no'} BarcodeDetector; the app ships: ${shipped})`,
    `| decoder | read | ${kinds.join(' | ')} | decode time |`,
    `| --- | --- | ${kinds.map(() => '---').join(' | ')} | --- |`,
    ...decoders.map((decoder) => {
      const times = outcomes
        .filter((o) => o.decoder === decoder && !Number.isNaN(o.ms))
        .map((o) => o.ms);
      return `| ${decoder} | ${rate(decoder)} | ${kinds.map((kind) => rate(decoder, kind)).join(' | ')} | ${times.length ? figures(times) : '—'} |`;
    }),
  ];
  if (!native) lines.push('| BarcodeDetector | not in this browser (Linux Chromium has none) |');
  // Frames no single engine reads but some other does: what the combination is for.
  const missedBy = (decoder: string) =>
    outcomes.filter((o) => o.decoder === decoder && !o.read).map((o) => o.name);
  for (const decoder of decoders.filter((d) => !d.startsWith('shipped')))
    lines.push(`missed by ${decoder}: ${missedBy(decoder).join(', ') || 'none'}`);
  // What any single engine reads that the shipped combination does not: none, or it is not the best.
  const shippedReads = new Set(
    outcomes.filter((o) => o.decoder.startsWith('shipped') && o.read).map((o) => o.name),
  );
  const onlyElsewhere = outcomes.filter((o) => o.read && !shippedReads.has(o.name));
  lines.push(
    `read by a single engine but not by the shipped combination: ${[...new Set(onlyElsewhere.map((o) => `${o.name} (${o.decoder})`))].join(', ') || 'none'}`,
  );
  console.log(`${lines.join('\n')}\n`);
});
