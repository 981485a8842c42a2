import { useState } from 'preact/hooks';
import { FileButton, Form, PhotoButton, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { useSession } from '../session';
import { importRevocations } from './revocation-import';

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
    const result = await importRevocations(db, config.issuerKeys, input, t);
    setFailure(result.ok ? '' : result.message);
    setStatus(result.ok ? result.message : '');
    if (result.ok) setText('');
  }

  async function readPhoto(file: File) {
    const { decodeImageFile } = await import('../../scan/camera');
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
