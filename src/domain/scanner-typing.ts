// A barcode scanner types like a keyboard, but far faster than a person: telling the two apart
// lets the gate give the code field focus only where it helps (a soft keyboard covers the camera).

/** Fewer keys could be a person's short burst; a pass code has hundreds. */
const MIN_KEYS = 8;
/** A person types a key every 100 ms or more; a scanner every few. */
const MAX_MEDIAN_GAP_MS = 30;

/** True when keystrokes at these times (ms, in order) came from a barcode scanner. */
export function typedByScanner(stamps: readonly number[]): boolean {
  if (stamps.length < MIN_KEYS) return false;
  const gaps = stamps
    .slice(1)
    .map((stamp, i) => stamp - (stamps[i] ?? stamp))
    .sort((a, b) => a - b);
  return (gaps[Math.floor(gaps.length / 2)] ?? Infinity) <= MAX_MEDIAN_GAP_MS;
}
