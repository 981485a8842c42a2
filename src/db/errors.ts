/** Why a database write failed, in the terms the app words for a person. */
export function writeErrorKind(error: unknown): 'quota' | 'version' | 'other' {
  const { name, inner } = (error ?? {}) as { name?: string; inner?: { name?: string } };
  if (name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') return 'quota';
  if (name === 'VersionError' || name === 'DatabaseClosedError' || name === 'BlockedError') {
    return 'version';
  }
  return 'other';
}
