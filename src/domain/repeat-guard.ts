/** How long a code must be out of sight before it counts as having left the camera's view. */
const LEFT_VIEW_MS = 2000;

/**
 * A camera reads a card many times a second while it is held up. A code is taken once: not again
 * while it stays in view, nor within `windowMs` (the duplicate window) after it was last seen.
 * Pure: the clock comes in with each sighting.
 */
export class RepeatGuard {
  private readonly lastSeen = new Map<string, number>();
  private readonly windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = Math.max(windowMs, LEFT_VIEW_MS);
  }

  /** The camera sees `text` now: true when it is to be read, false for a code already taken. */
  take(text: string, now: number): boolean {
    this.forget(now);
    const fresh = !this.lastSeen.has(text);
    this.lastSeen.set(text, now);
    return fresh;
  }

  /**
   * The camera sees `text` while the gate is busy with a reading: a code already taken stays in
   * view; a new one is not taken now, so it is read as soon as the gate is free.
   */
  see(text: string, now: number): void {
    this.forget(now);
    if (this.lastSeen.has(text)) this.lastSeen.set(text, now);
  }

  private forget(now: number) {
    for (const [text, at] of this.lastSeen)
      if (now - at >= this.windowMs) this.lastSeen.delete(text);
  }
}
