import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { KadianDB } from '../db/database';
import { writeErrorKind } from '../db/errors';
import { saveRecords } from '../db/records';
import type { DeviceConfig } from '../domain/config';
import { uuidV7Generator } from '../domain/ids';
import type { FieldIssue } from '../domain/issues';
import { makeRecord, type RecordContext } from '../domain/make-record';
import type { KadianRecord, RecordData, RecordKind, RecordOfKind } from '../domain/records';
import type { Lang, Translate } from '../i18n';

/** What every screen of a provisioned device works with. */
export interface Session {
  db: KadianDB;
  config: DeviceConfig;
  t: Translate;
  lang: Lang;
  setLang: (lang: Lang) => void;
  setConfig: (config: DeviceConfig) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a provisioned device');
  return session;
}

export type SaveResult<K extends RecordKind> =
  | { ok: true; record: RecordOfKind<K> }
  | { ok: false; issues: FieldIssue[]; failure?: undefined }
  | { ok: false; issues: []; failure: string };

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

/** Builds, validates and saves records in one transaction; nothing is saved when any is refused. */
export async function saveMade(db: KadianDB, t: Translate, made: (KadianRecord | FieldIssue[])[]) {
  const issues = made.filter((item): item is FieldIssue[] => Array.isArray(item)).flat();
  if (issues.length > 0) return { ok: false as const, issues };
  try {
    await saveRecords(db, made as KadianRecord[]);
    return { ok: true as const };
  } catch (error) {
    return { ok: false as const, issues: [] as [], failure: describeWriteFailure(t, error) };
  }
}

/** Makes one record of this device and saves it with its outbox entry. */
export async function createRecord<K extends RecordKind>(
  session: Pick<Session, 'db' | 'config' | 't'>,
  kind: K,
  data: RecordData<K>,
): Promise<SaveResult<K>> {
  const made = makeRecord(recordContext(session.config), kind, data);
  if (!made.ok) return { ok: false, issues: made.issues };
  const saved = await saveMade(session.db, session.t, [made.value]);
  return saved.ok ? { ok: true, record: made.value } : saved;
}
