// Who may do what at the receiver: one token model for every role, checked in one place. A token
// is a random secret of which the receiver keeps only the hash; each has a role, and a device's is
// bound to one device id and its checkpoint. See docs/receiver.md.
import type { KadianRecord } from '../src/domain/records';

export const ROLES = ['device', 'office', 'viewer', 'duty'] as const;
export type Role = (typeof ROLES)[number];

/** What a request asks to do. */
export type Action =
  /** Send records (batches, the plain collection) and read them back, pull revocations. */
  | 'upload'
  /** Revoke passes: pass-revocation records, served to every gate. */
  | 'revoke-passes'
  /** Make one-time enrolment codes that new gates trade for tokens of their own. */
  | 'enrol-devices'
  /** Read the roll-up, flags and visitor pages (of the token's place in the chain). */
  | 'read-reports'
  /** Take fever alerts and close them with an outcome (of the token's place in the chain). */
  | 'act-on-alerts'
  /** Publish a signed configuration for the office's gates, and see its devices. */
  | 'run-gates';

/** The permission table. `duty` (people on duty up the chain) reads as a viewer and acts on alerts. */
const PERMISSIONS: Record<Role, readonly Action[]> = {
  device: ['upload'],
  office: ['upload', 'revoke-passes', 'enrol-devices', 'run-gates'],
  viewer: ['read-reports'],
  duty: ['read-reports', 'act-on-alerts'],
};

/** The holder of a token, as the store knows it. */
export interface Principal {
  role: Role;
  label: string;
  /** A device token's device and checkpoint (set at enrolment, or by its first upload). */
  deviceId?: string;
  checkpointId?: string;
  /** A viewer's or duty token's place in the chain: a county, township or community name. */
  scope?: string;
}

/** Anyone, while the receiver has no token at all (it says so loudly at start). */
export const OPEN: Principal = { role: 'office', label: 'open receiver' };

export const may = (principal: Principal, action: Action) =>
  principal === OPEN || PERMISSIONS[principal.role].includes(action);

/** Why this principal may not store this record, or undefined when it may. */
export function refusalOf(principal: Principal, record: KadianRecord): string | undefined {
  if (record.kind === 'pass-revocation' && !may(principal, 'revoke-passes'))
    return 'pass revocations come from the office only';
  if (record.kind === 'fever-alert-taken' || record.kind === 'fever-alert-closed')
    return 'alerts are taken and closed at the receiver (POST /alerts/{id}/take, /close)';
  if (principal.role !== 'device') return undefined;
  if (principal.deviceId !== undefined && record.deviceId !== principal.deviceId)
    return `deviceId: this token belongs to device ${principal.deviceId}`;
  if (principal.checkpointId !== undefined && record.checkpointId !== principal.checkpointId)
    return `checkpointId: this token belongs to checkpoint ${principal.checkpointId}`;
  // A gate follows its own checkpoint's households; the office starts isolations for any.
  if (
    record.kind === 'isolation-start' &&
    principal.checkpointId !== undefined &&
    record.data.responsible.checkpointId !== principal.checkpointId
  )
    return `data.responsible.checkpointId: this token belongs to checkpoint ${principal.checkpointId}`;
  return undefined;
}
