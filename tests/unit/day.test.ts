import { endOfDay, lightFormat, parseISO, startOfDay } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { dayBounds, localDay } from '../../src/domain/day';
import { random } from '../fixtures/random';

describe('localDay', () => {
  it('is the local calendar day date-fns formats, at midnight’s edges and anywhere in 2026–2027', () => {
    const next = random(17);
    const moments = [
      ...dayBounds('2026-12-31'),
      ...dayBounds('2027-01-01'),
      ...dayBounds('2026-02-28'),
      ...Array.from(
        { length: 5000 },
        () => Date.UTC(2026, 0, 1) + Math.floor(next() * 730 * 86_400_000),
      ),
    ];
    for (const ms of moments) expect(localDay(ms)).toBe(lightFormat(ms, 'yyyy-MM-dd'));
    expect(localDay(dayBounds('2027-01-01')[0] - 1)).toBe('2026-12-31');
  });
});

describe('dayBounds', () => {
  it('is date-fns’s start and end of the parsed day for every day of 2026–2028, and NaN for anything else', () => {
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 86_400_000) {
      const day = localDay(ms);
      const date = parseISO(day);
      expect(dayBounds(day)).toEqual([startOfDay(date).getTime(), endOfDay(date).getTime()]);
    }
    for (const bad of ['', '2026-1-05', '2026-01-05T00:00', 'today', '2026-02-29', '2026-13-01'])
      expect(dayBounds(bad)).toEqual([Number.NaN, Number.NaN]);
  });
});
