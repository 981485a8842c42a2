import { check } from '../src/domain/issues';
import { KadianRecord } from '../src/domain/records';
import type { Checked } from './store';

/** Why a record is refused, in the field/rule terms the device's own checks use. */
export function validate(raw: unknown): Checked {
  const result = check(KadianRecord, raw);
  if (result.ok) return { record: result.value };
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '';
  return {
    id,
    error: result.issues.map((issue) => `${issue.field || 'record'}: ${issue.rule}`).join('; '),
  };
}
