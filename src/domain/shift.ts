// Shifts: who is on duty at a checkpoint, recorded as shift records when it changes.
import type { DeviceConfig } from './config';
import type { Checked } from './issues';
import { makeRecord, type RecordContext } from './make-record';
import type { KadianRecord } from './records';

/**
 * The shift records a change of configuration implies: the first volunteer starts; a new
 * volunteer (or the same one at another checkpoint) takes over, which ends the shift before.
 */
export function shiftRecords(
  previous: DeviceConfig | undefined,
  next: DeviceConfig,
  clock: Omit<RecordContext, 'config'>,
): Checked<KadianRecord[]> {
  const changed =
    !previous ||
    previous.volunteer.name !== next.volunteer.name ||
    previous.volunteer.phone !== next.volunteer.phone ||
    previous.checkpoint.id !== next.checkpoint.id;
  if (!changed) return { ok: true, value: [] };
  const made = [
    ...(previous ? [makeRecord({ ...clock, config: previous }, 'shift', { action: 'end' })] : []),
    makeRecord({ ...clock, config: next }, 'shift', { action: 'start' }),
  ];
  const issues = made.flatMap((result) => (result.ok ? [] : result.issues));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: made.flatMap((result) => (result.ok ? [result.value] : [])) };
}
