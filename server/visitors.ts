// The visitors page's full numbers: a viewer brings the office's data key file and passphrase with
// the request; the key opens the day's sealed fields for that one answer and is not kept.
import { importDataKey, openPersonalData } from '../src/domain/data-key';
import type { KadianRecord } from '../src/domain/records';
import { openDataKey, readSealedFile, SealedDataKey } from '../src/domain/secrets';

export type Opening =
  | { ok: true; kid: string; records: KadianRecord[]; opened: number }
  | { ok: false; reason: 'no-file' | 'not-a-key-file' | 'wrong-passphrase' };

/** Opens the sealed fields of these records with a data key file and its passphrase. */
export async function openWithDataKey(
  records: KadianRecord[],
  fileText: string,
  passphrase: string,
): Promise<Opening> {
  if (fileText.trim() === '') return { ok: false, reason: 'no-file' };
  const file = readSealedFile(fileText, SealedDataKey);
  if (!file) return { ok: false, reason: 'not-a-key-file' };
  const pkcs8 = await openDataKey(file, passphrase);
  if (!pkcs8) return { ok: false, reason: 'wrong-passphrase' };
  const privateKey = await importDataKey(pkcs8);
  pkcs8.fill(0);
  const opened = await Promise.all(
    records.map((record) => openPersonalData(record, privateKey, file.kid)),
  );
  const changed = opened.filter(
    (record, i) => JSON.stringify(record) !== JSON.stringify(records[i]),
  ).length;
  return { ok: true, kid: file.kid, records: opened, opened: changed };
}
