import { describe, expect, it } from 'vitest';
import { typedByScanner } from '../../src/domain/scanner-typing';

const every = (gap: number, keys: number, from = 1000) =>
  Array.from({ length: keys }, (_, i) => from + i * gap);

describe('typedByScanner', () => {
  it.each([
    ['a scanner, 5 ms a key, 200 keys', every(5, 200), true],
    ['a scanner at the limit, 30 ms a key', every(30, 8), true],
    ['a fast person, 80 ms a key', every(80, 40), false],
    ['too few keys to tell', every(5, 7), false],
    ['nothing typed', [], false],
    ['a paste (one input)', [1000], false],
    // A scanner's burst with one pause (the page busy) is still a scanner: the median decides.
    ['a scanner with one long pause', [...every(5, 20), ...every(5, 20, 2000)], true],
    ['a person with a burst of key repeats', [...every(120, 20), ...every(10, 5, 5000)], false],
  ])('%s: %s', (_, stamps, expected) => {
    expect(typedByScanner(stamps)).toBe(expected);
  });
});
