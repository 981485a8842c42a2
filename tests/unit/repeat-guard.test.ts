import { describe, expect, it } from 'vitest';
import { RepeatGuard } from '../../src/domain/repeat-guard';

describe('RepeatGuard', () => {
  it('takes a code once while it stays in view, however long', () => {
    const guard = new RepeatGuard(30_000);
    const taken = Array.from({ length: 600 }, (_, i) => guard.take('A', i * 100));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(taken[0]).toBe(true);
  });

  it('takes it again only once it has been out of view for the whole window', () => {
    const guard = new RepeatGuard(30_000);
    expect(guard.take('A', 0)).toBe(true);
    expect(guard.take('A', 10_000)).toBe(false);
    // Last seen at 10 s: 29.999 s later it is still within the window.
    expect(guard.take('A', 39_999)).toBe(false);
    expect(guard.take('A', 69_999)).toBe(true);
  });

  it('takes another code at once', () => {
    const guard = new RepeatGuard(30_000);
    expect(guard.take('A', 0)).toBe(true);
    expect(guard.take('B', 100)).toBe(true);
    expect(guard.take('A', 200)).toBe(false);
  });

  it('keeps a taken code in view while the gate is busy, and leaves a new one to be taken after', () => {
    const guard = new RepeatGuard(30_000);
    guard.take('A', 0);
    for (let at = 1000; at <= 60_000; at += 1000) {
      guard.see('A', at);
      guard.see('B', at);
    }
    expect(guard.take('A', 61_000)).toBe(false);
    expect(guard.take('B', 61_000)).toBe(true);
  });

  it('still waits for a card to leave view when the duplicate window is 0', () => {
    const guard = new RepeatGuard(0);
    expect(guard.take('A', 0)).toBe(true);
    expect(guard.take('A', 1500)).toBe(false);
    expect(guard.take('A', 3500)).toBe(true);
  });
});
