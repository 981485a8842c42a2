import { useState } from 'preact/hooks';
import { saveRevocations } from '../db/outbox';
import { verifyEd25519 } from '../domain/ed25519';
import { checkRevocations } from '../domain/revocation-code';
import type { MessageKey } from '../i18n';
import { FileButton, Form, PhotoButton, TextField } from '../ui/fields';
import { FailureLine, StatusLine } from '../ui/notices';
import { issuerMap } from './pass-check';
import { useSession } from './session';

/**
 * Imports the office's revocation list (pasted, from its file, or from a photo of a QR code) on a
 * device that cannot sync: every code must be signed by a trusted issuer, or nothing is imported.
 */
export function RevocationReader() {
  const { db, t, config } = useSession();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');

  async function importCodes(input: string) {
    const issuers = await issuerMap(config.issuerKeys);
    const codes = input.split(/\s+/).filter(Boolean);
    const checked = await Promise.all(
      codes.map((code) => checkRevocations(code, issuers, verifyEd25519)),
    );
    const refused =
      checked.find((result) => !result.ok)?.reason ?? (codes.length ? undefined : 'unreadable');
    if (refused) {
      setStatus('');
      return setFailure(t(`revocations.reason.${refused}` as MessageKey));
    }
    const revocations = checked.flatMap((result) =>
      result.ok
        ? result.payload.pids.map((passId) => ({
            passId,
            reason: '',
            revokedAt: result.payload.at,
          }))
        : [],
    );
    await saveRevocations(db, revocations);
    setFailure('');
    setText('');
    setStatus(t('revocations.imported', { count: revocations.length }));
  }

  async function readPhoto(file: File) {
    const { decodeImageFile } = await import('../scan/camera');
    const decoded = await decodeImageFile(file);
    if (decoded === null) setFailure(t('gate.photo.failed'));
    else await importCodes(decoded);
  }

  return (
    <Form onSubmit={() => void importCodes(text)}>
      <TextField
        label={t('revocations.field')}
        path="revocations"
        value={text}
        issues={[]}
        onValue={setText}
        multiline
      />
      <button type="submit">{t('revocations.read')}</button>
      <FileButton
        label={t('revocations.file')}
        accept=".txt,text/plain"
        onFile={(file) => void file.text().then(importCodes)}
      />
      <PhotoButton label={t('revocations.photo')} onPhoto={(file) => void readPhoto(file)} />
      <FailureLine text={failure} />
      <StatusLine text={status} />
    </Form>
  );
}
