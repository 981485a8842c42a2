import type { Problem } from './issues';

export const TEMPERATURE_METHODS = ['forehead', 'wrist', 'ear', 'oral', 'axillary'] as const;
export type TemperatureMethod = (typeof TEMPERATURE_METHODS)[number];

export const DEFAULT_FEVER_THRESHOLD = 37.3;
const PLAUSIBLE_MIN = 34.0;
const PLAUSIBLE_MAX = 43.0;

const tenths = (celsius: number) => Math.round(celsius * 10);

/** True when the number has at most one decimal (36.6, not 36.65). */
function hasOneDecimal(celsius: number): boolean {
  return Number.isFinite(celsius) && Math.abs(celsius * 10 - tenths(celsius)) < 1e-6;
}

/** Why a reading cannot be a body temperature in °C, or null when it can. */
export function checkCelsius(celsius: number): Problem | null {
  if (!hasOneDecimal(celsius)) return { rule: 'temperature-format' };
  if (tenths(celsius) < tenths(PLAUSIBLE_MIN) || tenths(celsius) > tenths(PLAUSIBLE_MAX)) {
    return { rule: 'temperature-range', params: { min: '34.0', max: '43.0' } };
  }
  return null;
}

/** Reads typed text such as "36.6" or "36,6"; null when it is not a number with at most one decimal. */
export function parseCelsius(text: string): number | null {
  const match = /^\s*(\d{2})(?:[.,](\d))?\s*$/.exec(text);
  if (!match) return null;
  return tenths(Number(`${match[1]}.${match[2] ?? '0'}`)) / 10;
}

/** A fever is a reading at or above the threshold (compared in tenths, so 37.3 ≥ 37.3 holds exactly). */
export function isFever(celsius: number, threshold = DEFAULT_FEVER_THRESHOLD): boolean {
  return tenths(celsius) >= tenths(threshold);
}

/**
 * The keypad's reading after one more key: digits fill "3", "38", "38.2" (the decimal point is
 * implied), "⌫" removes the last digit, a digit after a complete reading starts again.
 */
export function keypadInput(current: string, key: string): string {
  const digits = current.replace('.', '');
  // A digit after a complete reading (or a tapped common one) starts a new reading.
  const next = key === '⌫' ? digits.slice(0, -1) : digits.length >= 3 ? key : digits + key;
  return next.length === 3 ? `${next.slice(0, 2)}.${next[2]}` : next;
}
