/** A write the database refuses by a rule of the records, not by a fault: said, never retried. */
export class RefusedWrite extends Error {
  constructor(readonly rule: 'void-of-void') {
    super(rule);
    this.name = 'RefusedWrite';
  }
}

/** Why a write failed, as the volunteer is told it. */
export type WriteFailure = 'quota' | 'version' | 'void-of-void' | 'other';

/** Why a database write failed, in the terms the app words for a person. */
export function writeErrorKind(error: unknown): WriteFailure {
  if (error instanceof RefusedWrite) return error.rule;
  const { name, inner } = (error ?? {}) as { name?: string; inner?: { name?: string } };
  if (name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') return 'quota';
  if (name === 'VersionError' || name === 'DatabaseClosedError' || name === 'BlockedError') {
    return 'version';
  }
  return 'other';
}
