import { describe, expect, it } from 'vitest';
import { storageLow } from '../../src/pwa/persist';

const MB = 1024 * 1024;

describe('storageLow', () => {
  it.each([
    [{ usage: 799 * MB, quota: 1000 * MB }, false],
    [{ usage: 800 * MB, quota: 1000 * MB }, true],
    [{ usage: 10 * MB, quota: 59 * MB }, true], // under 50 MB left
    [{ usage: 10 * MB, quota: 61 * MB }, false],
    [{ usage: 1 * MB, quota: 10_000 * MB }, false],
  ])('%j → %s', (use, low) => expect(storageLow(use)).toBe(low));
});
