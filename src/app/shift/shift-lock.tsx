import { useState } from 'preact/hooks';
import { saveConfig } from '../../db/settings';
import { DeviceConfig } from '../../domain/config';
import { check, type FieldIssue } from '../../domain/issues';
import { hashPin, newPinProblem } from '../../domain/secrets';
import { shiftRecords } from '../../domain/shift';
import { Form, IssueSummary, PinField, TextField } from '../../ui/fields';
import { useT } from '../../ui/i18n';
import { FailureLine } from '../../ui/notices';
import { describeWriteFailure, recordContext, useSession } from '../session';
import { PIN_PROBLEMS, tryPin } from './pin-check';

export function ShiftPinFields({
  value,
  onChange,
}: {
  value: { pin: string; again: string };
  onChange: (value: { pin: string; again: string }) => void;
}) {
  // Also asked at first run, before there is a session.
  const t = useT();
  return (
    <>
      <PinField
        label={t('shift.pin')}
        path="shift-pin"
        value={value.pin}
        onValue={(pin) => onChange({ ...value, pin })}
      />
      <PinField
        label={t('shift.pinAgain')}
        path="shift-pin-again"
        value={value.again}
        onValue={(again) => onChange({ ...value, again })}
      />
    </>
  );
}

/**
 * The app left alone, or handed over: the volunteer on duty unlocks it with their PIN, or the next
 * volunteer signs in (name, phone, a PIN of their own), which ends one shift and starts the other.
 */
export function ShiftLock({ onUnlocked }: { onUnlocked: () => void }) {
  const { db, t, config, setConfig } = useSession();
  const [pin, setPin] = useState('');
  const [failure, setFailure] = useState('');
  const [handingOver, setHandingOver] = useState(false);
  const [next, setNext] = useState({ name: '', phone: '' });
  const [nextPin, setNextPin] = useState({ pin: '', again: '' });
  const [issues, setIssues] = useState<FieldIssue[]>([]);

  async function unlock() {
    const tried = await tryPin(db, 'shift', pin, t);
    setPin('');
    if (tried === true) onUnlocked();
    else setFailure(tried);
  }

  async function takeOver() {
    const phone = next.phone.replace(/[\s-]/g, '');
    const checked = check(DeviceConfig, {
      ...config,
      volunteer: { name: next.name.trim(), ...(phone && { phone }) },
    });
    if (!checked.ok) return setIssues(checked.issues);
    const problem = newPinProblem('shift', nextPin.pin, nextPin.again);
    if (problem) return setFailure(t(PIN_PROBLEMS.shift[problem]));
    const made = shiftRecords(config, checked.value, recordContext(checked.value));
    if (!made.ok) return setIssues(made.issues);
    try {
      await saveConfig(db, checked.value, {
        shiftRecords: made.value,
        shiftPin: await hashPin(nextPin.pin),
      });
    } catch (error) {
      return setFailure(describeWriteFailure(t, error));
    }
    setConfig(checked.value);
    onUnlocked();
  }

  return (
    <section class="screen lock">
      <h1>{t('shift.locked')}</h1>
      <p>{t('shift.onDuty', { name: config.volunteer.name })}</p>
      {!handingOver ? (
        <>
          <Form onSubmit={() => void unlock()}>
            <PinField label={t('shift.yourPin')} path="pin" value={pin} onValue={setPin} />
            <FailureLine text={failure} />
            <button type="submit" class="primary">
              {t('shift.unlock')}
            </button>
          </Form>
          <button
            type="button"
            onClick={() => {
              setFailure('');
              setHandingOver(true);
            }}
          >
            {t('shift.handOver')}
          </button>
        </>
      ) : (
        <Form onSubmit={() => void takeOver()}>
          <TextField
            label={t('field.volunteer.name')}
            path="volunteer.name"
            value={next.name}
            issues={issues}
            onValue={(name) => setNext({ ...next, name })}
          />
          <TextField
            label={t('field.volunteer.phone')}
            path="volunteer.phone"
            value={next.phone}
            issues={issues}
            onValue={(phone) => setNext({ ...next, phone })}
            inputMode="tel"
            optional
          />
          <ShiftPinFields value={nextPin} onChange={setNextPin} />
          <IssueSummary issues={issues} />
          <FailureLine text={failure} />
          <button type="submit" class="primary">
            {t('setup.start')}
          </button>
        </Form>
      )}
    </section>
  );
}
