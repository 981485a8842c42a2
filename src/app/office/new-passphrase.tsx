import { useState } from 'preact/hooks';
import { Form, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';
import { useSession } from '../session';

const MIN_PASSPHRASE = 10;

/**
 * A passphrase typed twice for a key file (at least 10 characters, both the same), then `onPassphrase`;
 * what it resolves to, if anything, is said as the failure.
 */
export function NewPassphraseForm({
  labels,
  id,
  onPassphrase,
}: {
  labels: { passphrase: string; again: string; submit: string };
  id: string;
  onPassphrase: (passphrase: string) => Promise<string | undefined>;
}) {
  const { t } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [failure, setFailure] = useState('');

  async function submit() {
    if ([...passphrase].length < MIN_PASSPHRASE) return setFailure(t('office.passphraseShort'));
    if (passphrase !== again) return setFailure(t('office.passphraseMismatch'));
    setFailure((await onPassphrase(passphrase)) ?? '');
  }

  return (
    <Form onSubmit={() => void submit()}>
      <TextField
        label={labels.passphrase}
        path={`${id}-passphrase`}
        value={passphrase}
        issues={[]}
        onValue={setPassphrase}
        secret
      />
      <TextField
        label={labels.again}
        path={`${id}-again`}
        value={again}
        issues={[]}
        onValue={setAgain}
        secret
      />
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {labels.submit}
      </button>
    </Form>
  );
}
