import { useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n';
import { FileButton, Form, PhotoButton, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { useSession } from '../session';

/**
 * A signed code from the office taken by hand on a device that cannot sync: pasted, from its file,
 * or from a photo of its QR code; `take` checks and applies it and says what happened.
 */
export function CodeReader({
  words,
  take,
}: {
  /** The field's, the button's, the file's and the photo's labels. */
  words: { field: MessageKey; read: MessageKey; file: MessageKey; photo: MessageKey };
  take: (input: string) => Promise<{ ok: boolean; message: string }>;
}) {
  const { t } = useSession();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');

  async function read(input: string) {
    const result = await take(input);
    setFailure(result.ok ? '' : result.message);
    setStatus(result.ok ? result.message : '');
    if (result.ok) setText('');
  }

  async function readPhoto(file: File) {
    const { decodeImageFile } = await import('../../scan/camera');
    const decoded = await decodeImageFile(file);
    if (decoded === null) setFailure(t('gate.photo.failed'));
    else await read(decoded);
  }

  return (
    <Form onSubmit={() => void read(text)}>
      <TextField
        label={t(words.field)}
        path={words.field}
        value={text}
        issues={[]}
        onValue={setText}
        multiline
      />
      <button type="submit">{t(words.read)}</button>
      <FileButton
        label={t(words.file)}
        accept=".txt,text/plain"
        onFile={(file) => void file.text().then(read)}
      />
      <PhotoButton label={t(words.photo)} onPhoto={(file) => void readPhoto(file)} />
      <FailureLine text={failure} />
      <StatusLine text={status} />
    </Form>
  );
}
