// Importing the office's revocation list (KDR1 codes) on a device that cannot sync: every code must
// be signed by a trusted issuer, or nothing is imported.
import type { KadianDB } from '../../db/database';
import { saveRevocations } from '../../db/outbox';
import { issuerMap, verifyEd25519 } from '../../domain/ed25519';
import { checkRevocations, type RevocationCheck } from '../../domain/revocation-code';
import type { MessageKey, Translate } from '../../i18n';

/** Imports the codes in `input` (one or more, separated by white space); says what happened. */
export async function importRevocations(
  db: KadianDB,
  trustedKeys: string[] | undefined,
  input: string,
  t: Translate,
): Promise<{ ok: boolean; message: string }> {
  const issuers = await issuerMap(trustedKeys);
  const codes = input.split(/\s+/).filter(Boolean);
  const checked = await Promise.all(
    codes.map((code) => checkRevocations(code, issuers, verifyEd25519)),
  );
  const refused =
    checked.find((result): result is Extract<RevocationCheck, { ok: false }> => !result.ok)
      ?.reason ?? (codes.length ? undefined : 'unreadable');
  if (refused) return { ok: false, message: t(`revocations.reason.${refused}` as MessageKey) };
  const revocations = checked.flatMap((result) =>
    result.ok
      ? result.payload.pids.map((passId) => ({ passId, reason: '', revokedAt: result.payload.at }))
      : [],
  );
  await saveRevocations(db, revocations);
  return { ok: true, message: t('revocations.imported', { count: revocations.length }) };
}
