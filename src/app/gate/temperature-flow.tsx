import { useState } from 'preact/hooks';
import type { PendingFever } from '../../domain/fever-pending';
import type { FieldIssue } from '../../domain/issues';
import { maskName } from '../../domain/mask';
import { passNumber } from '../../domain/pass';
import type { FEVER_ACTIONS, RecordData, RecordOfKind } from '../../domain/records';
import { isFever, type TemperatureMethod } from '../../domain/temperature';
import type { Translate } from '../../i18n';
import { FeverAlert } from '../../ui/fever-alert';
import { FailureLine } from '../../ui/notices';
import { TemperaturePad } from '../../ui/temperature-pad';
import { createRecord, refusal, useSession } from '../session';
import { AlertStatus } from './alert-status';
import { signal } from './feedback';

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
  /** Who is measured, when nothing above the pad says it already. */
  heading?: string;
  /** A fever still waiting for its follow-up, opened again: the flow starts at its alert. */
  resume?: PendingFever;
  /** Called when this person is done with; the text says what was recorded. */
  onFinished: (summary: string) => void;
}

/** Who a fever's SMS is about: the name masked, the pass's number, or "a person without a pass". */
const whoOf = (t: Translate, subject: Subject) =>
  subject.name
    ? maskName(subject.name)
    : subject.type === 'pass'
      ? t('alert.whoPass', { number: passNumber(subject.ref ?? '') })
      : t('temp.subject.person');

/**
 * Takes a reading and, on a fever, walks the volunteer through the alert: re-measure (a new
 * reading linked to the first), refer, isolate; each step is a fever-follow-up record.
 */
export function TemperatureFlow({ subject, heading, resume, onFinished }: TemperatureFlowProps) {
  const session = useSession();
  const { t, config } = session;
  const [step, setStep] = useState<Step>(
    resume
      ? { at: 'fever', reading: resume.last, first: resume.first, done: [] }
      : { at: 'measure' },
  );
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
      signal('fever');
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
    // The alert takes the whole screen: nothing above it, its actions in view. "Later" leaves it
    // waiting on the gate's bar until a referral or isolation is recorded.
    return (
      <div class="takeover">
        <FeverAlert
          celsius={reading.data.celsius}
          hotlines={config.hotlines}
          done={done}
          onAction={(action) => void onFeverAction(step, action)}
        />
        <AlertStatus
          first={step.first}
          celsius={reading.data.celsius}
          who={whoOf(t, step.first.data.subject)}
          done={done.map((action) => t(`followUp.${action}`)).join('、')}
        />
        {done.includes('isolated') && (
          <a
            class="button primary"
            href={`#/isolation/new/${step.first.id}`}
            onClick={() => onFinished('')}
          >
            {t('fever.startIsolation')}
          </a>
        )}
        {failureNote}
        <button
          type="button"
          class={done.length > 0 ? 'primary' : undefined}
          onClick={() =>
            onFinished(
              done.length > 0 ? t('fever.title', { celsius: reading.data.celsius.toFixed(1) }) : '',
            )
          }
        >
          {t(done.length > 0 ? 'common.next' : 'fever.later')}
        </button>
      </div>
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
