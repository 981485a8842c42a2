import { useState } from 'preact/hooks';
import { readMeta, writeMeta } from '../../db/settings';
import { hashPin, newPinProblem } from '../../domain/secrets';
import { Form, PinField, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';
import { describeWriteFailure, useSession } from '../session';
import { PIN_PROBLEMS, tryPin } from '../shift/pin-check';
import { useLive } from '../use-live';

/**
 * Asks for the admin PIN. A device with none yet sets one here, unless an office's setup code
 * provisioned it: then only the PIN that setup brought (or a new setup) unlocks what it fixed.
 */
export function AdminPinGate({
  mayCreate,
  onUnlocked,
}: {
  mayCreate: boolean;
  onUnlocked: () => void;
}) {
  const { db, t } = useSession();
  const stored = useLive(async () => (await readMeta(db, 'adminPin')) ?? null, [db]);
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [failure, setFailure] = useState('');
  if (stored === undefined) return null;
  const hasPin = stored !== null;
  if (!hasPin && !mayCreate) return <p>{t('admin.noPin')}</p>;
  async function submit() {
    if (!stored) {
      const problem = newPinProblem('admin', pin, again);
      if (problem) return setFailure(t(PIN_PROBLEMS.admin[problem]));
      try {
        await writeMeta(db, 'adminPin', await hashPin(pin));
      } catch (error) {
        return setFailure(describeWriteFailure(t, error));
      }
      return onUnlocked();
    }
    const tried = await tryPin(db, 'admin', pin, t);
    if (tried === true) onUnlocked();
    else setFailure(tried);
  }
  return (
    <Form onSubmit={() => void submit()}>
      {!hasPin && <p>{t('office.setPin')}</p>}
      {mayCreate ? (
        <PinField label={t('office.pin')} path="pin" value={pin} onValue={setPin} />
      ) : (
        // Set up by an office's code: the office's gate admin secret, letters and digits.
        <TextField
          label={t('admin.secret')}
          path="pin"
          value={pin}
          issues={[]}
          onValue={setPin}
          secret
        />
      )}
      {!hasPin && (
        <PinField label={t('office.pinAgain')} path="again" value={again} onValue={setAgain} />
      )}
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {t('office.unlock')}
      </button>
    </Form>
  );
}
