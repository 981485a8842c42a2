// Taking the office's configuration (KDC1) by hand on a gate: pasted, from a file or a photo in
// Settings, or shown to the gate's scanner. Applied only if a trusted key signed it and it is newer.
import { lightFormat } from 'date-fns';
import { readMeta } from '../../db/settings';
import { verifyEd25519 } from '../../domain/ed25519';
import { loadScreenWords } from '../../i18n';
import { takePushedConfig } from '../../sync/pushed-config';
import type { Session } from '../session';

/** Applies the configuration in `input`, and runs it; says what happened. */
export async function importPushedConfig(
  { db, t, setConfig }: Pick<Session, 'db' | 't' | 'setConfig'>,
  input: string,
): Promise<{ ok: boolean; message: string }> {
  // Its words come with the screens' (the gate's scanner takes a configuration too).
  await loadScreenWords();
  const result = await takePushedConfig(db, [input.trim()], verifyEd25519, Date.now());
  if (!result?.ok)
    return { ok: false, message: t(`pushed.reason.${result?.reason ?? 'unreadable'}`) };
  const applied = await readMeta(db, 'config');
  if (applied) setConfig(applied);
  return {
    ok: true,
    message: t('pushed.applied', { at: lightFormat(result.payload.at, 'yyyy-MM-dd HH:mm') }),
  };
}
