import { lightFormat } from 'date-fns';
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
