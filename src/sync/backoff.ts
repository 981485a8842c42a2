/**
 * The wait before retry n (1-based): min(2^(n-1) · base, cap), with "equal jitter" (between half
 * and all of it) so many devices coming back online together do not retry in step.
 */
export function backoffDelay(
  failures: number,
  baseMs: number,
  capMs: number,
  random: number,
): number {
  const full = Math.min(2 ** Math.max(0, failures - 1) * baseMs, capMs);
  return Math.round(full / 2 + (random * full) / 2);
}

/** Retry-After in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
