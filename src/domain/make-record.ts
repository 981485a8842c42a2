import type { DeviceConfig } from './config';
import { type Checked, check } from './issues';
import {
  KadianRecord,
  type RecordData,
  type RecordKind,
  type RecordOfKind,
  SCHEMA_VERSION,
} from './records';

/** What every record made on this device carries besides its data. */
export interface RecordContext {
  config: Pick<DeviceConfig, 'deviceId' | 'checkpoint' | 'volunteer'>;
  now: number;
  newId: () => string;
}

/** Builds a record of `kind` and validates all of it; the issues name the fields that broke a rule. */
export function makeRecord<K extends RecordKind>(
  context: RecordContext,
  kind: K,
  data: RecordData<K>,
): Checked<RecordOfKind<K>> {
  const { config } = context;
  const record = {
    id: context.newId(),
    kind,
    checkpointId: config.checkpoint.id,
    deviceId: config.deviceId,
    volunteer: config.volunteer,
    recordedAt: context.now,
    schemaVersion: SCHEMA_VERSION,
    data,
  };
  return check(KadianRecord, record) as Checked<RecordOfKind<K>>;
}
