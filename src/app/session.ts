import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { KadianDB } from '../db/database';
import { type WriteFailure, writeErrorKind } from '../db/errors';
import { saveRecord } from '../db/records';
import type { DeviceConfig } from '../domain/config';
import { uuidV7Generator } from '../domain/ids';
import type { FieldIssue } from '../domain/issues';
import { makeRecord, type RecordContext } from '../domain/make-record';
import { isPersonal, type RecordData, type RecordKind, type RecordOfKind } from '../domain/records';
import { issueMessage, type Lang, type Translate } from '../i18n';
import { syncSoon } from './sync/sync-runner';

/** What every screen of a provisioned device works with. */
export interface Session {
  db: KadianDB;
  config: DeviceConfig;
  t: Translate;
  lang: Lang;
  setLang: (lang: Lang) => void;
  setConfig: (config: DeviceConfig) => void;
  /** The gate's direction: it stays as the volunteer set it, across screens and reloads. */
  direction: Direction;
  setDirection: (direction: Direction) => void;
  /** A fever alert, opened from the header, covers the screen: the gate decides nothing under it. */
  covered?: boolean;
}

export type Direction = 'in' | 'out';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a provisioned device');
  return session;
}

export type SaveResult<K extends RecordKind> =
  | { ok: true; record: RecordOfKind<K> }
  | { ok: false; issues: FieldIssue[]; failure?: undefined; cause?: undefined }
  | { ok: false; issues: []; failure: string; cause: WriteFailure };

const nextRecordId = uuidV7Generator((bytes) => crypto.getRandomValues(bytes));

/** The envelope of a record made now on this device. */
export function recordContext(config: RecordContext['config']): RecordContext {
  const now = Date.now();
  return { config, now, newId: () => nextRecordId(now) };
}

/** Words for a failed write: full storage, an old version open elsewhere, or anything else. */
export function describeWriteFailure(t: Translate, error: unknown): string {
  const kind = writeErrorKind(error);
  return t('common.saveFailed', { reason: t(`error.${kind}`) });
}

/** Why a save did not happen, in one line: the broken rules by field, or the failed write. */
export function refusal(t: Translate, result: { issues: FieldIssue[]; failure?: string }): string {
  return result.failure ?? result.issues.map((issue) => issueMessage(t, issue)).join('；');
}

/** Makes one record of this device and saves it with its outbox entry. */
export async function createRecord<K extends RecordKind>(
  session: Pick<Session, 'db' | 'config' | 't'>,
  kind: K,
  data: RecordData<K>,
  save: (record: RecordOfKind<K>) => Promise<void> = (record) => saveRecord(session.db, record),
): Promise<SaveResult<K>> {
  const made = makeRecord(recordContext(session.config), kind, data);
  if (!made.ok) return { ok: false, issues: made.issues };
  try {
    // With an office data key, ID and phone numbers are encrypted before anything is written (that
    // code is loaded only on a device given a key, so the gate's stays small; a record without
    // such numbers is saved without waiting for it).
    const { dataKey } = session.config;
    const record =
      dataKey && isPersonal(kind)
        ? ((await (
            await import('../domain/data-key')
          ).sealPersonalData(made.value, dataKey)) as RecordOfKind<K>)
        : made.value;
    await save(record);
    syncSoon(record);
    return { ok: true, record };
  } catch (error) {
    const failure = describeWriteFailure(session.t, error);
    return { ok: false, issues: [], failure, cause: writeErrorKind(error) };
  }
}
