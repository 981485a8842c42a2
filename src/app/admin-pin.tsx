import { useState } from 'preact/hooks';
import { readMeta, writeMeta } from '../db/settings';
import { afterWrongPin, hashPin, pinMatches } from '../domain/secrets';
import { Form, TextField } from '../ui/fields';
import { FailureLine } from '../ui/notices';
import { useSession } from './session';
import { useLive } from './use-live';

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
      if (!/^\d{6,}$/.test(pin)) return setFailure(t('office.pinShort'));
      if (pin !== again) return setFailure(t('office.pinMismatch'));
      await writeMeta(db, 'adminPin', await hashPin(pin));
      return onUnlocked();
    }
    const attempts = await readMeta(db, 'adminPinAttempts');
    const wait = Math.ceil(((attempts?.waitUntil ?? 0) - Date.now()) / 1000);
    if (wait > 0) return setFailure(t('admin.wait', { seconds: wait }));
    if (await pinMatches(pin, stored)) {
      await writeMeta(db, 'adminPinAttempts', { wrong: 0, waitUntil: 0 });
      return onUnlocked();
    }
    const next = afterWrongPin(attempts, Date.now());
    await writeMeta(db, 'adminPinAttempts', next);
    const seconds = Math.ceil((next.waitUntil - Date.now()) / 1000);
    setFailure(seconds > 0 ? t('admin.wrongWait', { seconds }) : t('office.pinWrong'));
  }
  return (
    <Form onSubmit={() => void submit()}>
      {!hasPin && <p>{t('office.setPin')}</p>}
      <TextField
        label={t('office.pin')}
        path="pin"
        value={pin}
        issues={[]}
        onValue={setPin}
        inputMode="numeric"
        secret
      />
      {!hasPin && (
        <TextField
          label={t('office.pinAgain')}
          path="again"
          value={again}
          issues={[]}
          onValue={setAgain}
          inputMode="numeric"
          secret
        />
      )}
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {t('office.unlock')}
      </button>
    </Form>
  );
}
