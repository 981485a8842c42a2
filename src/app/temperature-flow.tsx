import { useState } from 'preact/hooks';
import type { FieldIssue } from '../domain/issues';
import type { FEVER_ACTIONS, RecordData, RecordOfKind } from '../domain/records';
import { isFever, type TemperatureMethod } from '../domain/temperature';
import { FeverAlert } from '../ui/fever-alert';
import { FailureLine } from '../ui/notices';
import { TemperaturePad } from '../ui/temperature-pad';
import { signal } from './feedback';
import { createRecord, refusal, useSession } from './session';

type Subject = RecordData<'temperature'>['subject'];
type Reading = RecordOfKind<'temperature'>;
type FeverAction = (typeof FEVER_ACTIONS)[number];

type Step =
  | { at: 'measure'; remeasureOf?: Reading }
  | { at: 'fever'; reading: Reading; first: Reading; done: FeverAction[] }
  | { at: 'normal-again'; reading: Reading; first: Reading };

let rememberedMethod: TemperatureMethod = 'forehead';

interface TemperatureFlowProps {
  subject: Subject;
  heading: string;
  /** Called when this person is done with; the text says what was recorded. */
  onFinished: (summary: string) => void;
}

/**
 * Takes a reading and, on a fever, walks the volunteer through the alert: re-measure (a new
 * reading linked to the first), refer, isolate; each step is a fever-follow-up record.
 */
export function TemperatureFlow({ subject, heading, onFinished }: TemperatureFlowProps) {
  const session = useSession();
  const { t, config } = session;
  const [step, setStep] = useState<Step>({ at: 'measure' });
  const [method, setMethod] = useState(rememberedMethod);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);

  async function save(celsius: number) {
    setBusy(true);
    const remeasureOf = step.at === 'measure' ? step.remeasureOf : undefined;
    const fever = isFever(celsius, config.rules.feverThreshold);
    const saved = await createRecord(session, 'temperature', {
      subject,
      celsius,
      method,
      fever,
      ...(remeasureOf && { remeasureOf: remeasureOf.id }),
    });
    setBusy(false);
    if (!saved.ok) {
      setIssues(saved.issues);
      setFailure(saved.failure ?? '');
      return;
    }
    setIssues([]);
    setFailure('');
    if (fever) {
      signal('alarm');
      setStep({ at: 'fever', reading: saved.record, first: remeasureOf ?? saved.record, done: [] });
    } else if (remeasureOf) {
      signal('ok');
      setStep({ at: 'normal-again', reading: saved.record, first: remeasureOf });
    } else {
      signal('ok');
      onFinished(t('temp.saved', { celsius: celsius.toFixed(1) }));
    }
  }

  async function followUp(reading: Reading, action: FeverAction) {
    const saved = await createRecord(session, 'fever-follow-up', {
      temperatureId: reading.id,
      action,
    });
    setFailure(saved.ok ? '' : refusal(t, saved));
    return saved.ok;
  }

  async function onFeverAction(
    fever: Extract<Step, { at: 'fever' }>,
    action: Exclude<FeverAction, 'cleared'>,
  ) {
    if (!(await followUp(fever.reading, action))) return;
    // A re-measurement always links to the first reading, however many times it is repeated.
    if (action === 're-measured') setStep({ at: 'measure', remeasureOf: fever.first });
    else setStep({ ...fever, done: [...fever.done, action] });
  }

  const failureNote = <FailureLine text={failure} />;

  if (step.at === 'fever') {
    const { reading, done } = step;
    return (
      <>
        <FeverAlert
          celsius={reading.data.celsius}
          hotlines={config.hotlines}
          done={done}
          onAction={(action) => void onFeverAction(step, action)}
        />
        {failureNote}
        {done.length > 0 && (
          <button
            type="button"
            class="primary"
            onClick={() =>
              onFinished(t('fever.title', { celsius: reading.data.celsius.toFixed(1) }))
            }
          >
            {t('common.next')}
          </button>
        )}
      </>
    );
  }

  if (step.at === 'normal-again') {
    const { reading, first: firstReading } = step;
    return (
      <section class="recovered" role="status">
        <p>{t('fever.normalAgain', { celsius: reading.data.celsius.toFixed(1) })}</p>
        <button
          type="button"
          class="primary"
          onClick={async () => {
            if (await followUp(firstReading, 'cleared'))
              onFinished(t('temp.saved', { celsius: reading.data.celsius.toFixed(1) }));
          }}
        >
          {t('fever.cleared')}
        </button>
        {failureNote}
      </section>
    );
  }

  return (
    <>
      <TemperaturePad
        key={step.remeasureOf?.id ?? 'first'}
        heading={
          step.remeasureOf
            ? t('temp.remeasure', { celsius: step.remeasureOf.data.celsius.toFixed(1) })
            : heading
        }
        method={method}
        onMethod={(chosen) => {
          rememberedMethod = chosen;
          setMethod(chosen);
        }}
        onSave={(celsius) => void save(celsius)}
        issues={issues}
        busy={busy}
      />
      {failureNote}
    </>
  );
}
