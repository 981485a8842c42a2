import { lightFormat } from 'date-fns';
import { useState } from 'preact/hooks';
import { readMeta } from '../../db/settings';
import { verifyEd25519 } from '../../domain/ed25519';
import { takePushedConfig } from '../../sync/pushed-config';
import { FileButton, Form, PhotoButton, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { useSession } from '../session';

/**
 * Which of the office's configurations this gate runs, and taking a newer one by hand (pasted,
 * from its file, or from a photo of its QR code) on a gate that cannot sync. Only a configuration
 * a trusted key signed, and newer than the one running, is applied.
 */
export function ConfigReader() {
  const { db, t, config, setConfig } = useSession();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const time = (ms: number) => lightFormat(ms, 'yyyy-MM-dd HH:mm');

  async function take(input: string) {
    const result = await takePushedConfig(db, [input.trim()], verifyEd25519, Date.now());
    if (!result?.ok) {
      setStatus('');
      return setFailure(t(`pushed.reason.${result?.reason ?? 'unreadable'}`));
    }
    const applied = await readMeta(db, 'config');
    if (applied) setConfig(applied);
    setFailure('');
    setText('');
    setStatus(t('pushed.applied', { at: time(result.payload.at) }));
  }

  async function readPhoto(file: File) {
    const { decodeImageFile } = await import('../../scan/camera');
    const decoded = await decodeImageFile(file);
    if (decoded === null) setFailure(t('gate.photo.failed'));
    else await take(decoded);
  }

  return (
    <>
      <p>
        {config.pushed
          ? t('pushed.running', {
              at: time(config.pushed.at),
              since: time(config.pushed.appliedAt),
            })
          : t('pushed.none')}
      </p>
      <Form onSubmit={() => void take(text)}>
        <TextField
          label={t('pushed.field')}
          path="pushed"
          value={text}
          issues={[]}
          onValue={setText}
          multiline
        />
        <button type="submit">{t('pushed.read')}</button>
        <FileButton
          label={t('pushed.file')}
          accept=".txt,text/plain"
          onFile={(file) => void file.text().then(take)}
        />
        <PhotoButton label={t('pushed.photo')} onPhoto={(file) => void readPhoto(file)} />
        <FailureLine text={failure} />
        <StatusLine text={status} />
      </Form>
    </>
  );
}
