import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The verdict's colours as shipped, read from the stylesheet: told apart by lightness, in glare.
const css = readFileSync('src/app/styles.css', 'utf8');
function colours(selector: string): { background: string; color: string } {
  const block =
    css.match(new RegExp(`\\n${selector.replace('.', '\\.')} \\{([^}]*)\\}`))?.[1] ?? '';
  const value = (property: string) =>
    block.match(new RegExp(`\\b${property}: (#[0-9a-f]{3,6});`))?.[1] ?? '';
  return { background: value('background'), color: value('color') };
}

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
  const full = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => {
    const channel = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

describe('the verdict’s colours', () => {
  const allowed = colours('.verdict--allowed');
  const denied = colours('.verdict--denied');
  const unverified = colours('.verdict--unverified');

  it('are read from the stylesheet', () => {
    expect([allowed, denied, unverified].flatMap(Object.values).every(Boolean)).toBe(true);
  });

  it.each([
    ['allowed', allowed],
    ['refused', denied],
    ['unverified', unverified],
  ])('%s: its text at least 7:1 on its background', (_, { background, color }) => {
    expect(contrast(background, color)).toBeGreaterThanOrEqual(7);
  });

  it('allowed and refused differ in lightness by at least 3:1, and unverified from refused too', () => {
    expect(contrast(allowed.background, denied.background)).toBeGreaterThanOrEqual(3);
    expect(contrast(unverified.background, denied.background)).toBeGreaterThanOrEqual(3);
  });

  it('computes the WCAG ratio of known pairs', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
