import { addDays, parseISO } from 'date-fns';
import { useState } from 'preact/hooks';
import { localDay } from '../../domain/day';
import { type Isolation, lastDay, mayRelease } from '../../domain/isolation';
import type { FieldIssue } from '../../domain/issues';
import { RELEASE_OUTCOMES } from '../../domain/records';
import { Form, IssueSummary, SelectField, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';
import { createRecord, type SaveResult, useSession } from '../session';

/** A form's outcome shown: the rules broken by field, or why the write failed. */
function useOutcome() {
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState('');
  return {
    issues,
    failure,
    show(result: SaveResult<'isolation-extension' | 'isolation-end'>) {
      setIssues(result.ok ? [] : result.issues);
      setFailure(result.ok ? '' : (result.failure ?? ''));
      // Saved: the list is where the volunteer goes next.
      if (result.ok) window.location.hash = '#/isolation';
    },
  };
}

/** A longer period: a new last day after the current one, and why. */
export function ExtendForm({ isolation }: { isolation: Isolation }) {
  const session = useSession();
  const { t } = session;
  const last = lastDay(isolation);
  const [day, setDay] = useState(() => localDay(addDays(parseISO(last), 7).getTime()));
  const [reason, setReason] = useState('');
  const outcome = useOutcome();
  async function save() {
    if (day <= last)
      return outcome.show({
        ok: false,
        issues: [{ field: 'data.lastDay', rule: 'after-day', params: { day: last } }],
      });
    outcome.show(
      await createRecord(session, 'isolation-extension', {
        isolationId: isolation.start.id,
        lastDay: day,
        reason: reason.trim(),
      }),
    );
  }
  return (
    <Form onSubmit={() => void save()}>
      <TextField
        label={t('field.lastDay')}
        path="data.lastDay"
        date
        value={day}
        issues={outcome.issues}
        onValue={setDay}
      />
      <TextField
        label={t('field.reason')}
        path="data.reason"
        value={reason}
        issues={outcome.issues}
        onValue={setReason}
      />
      <IssueSummary issues={outcome.issues} />
      <FailureLine text={outcome.failure} />
      <button type="submit" class="primary">
        {t('isolation.extend')}
      </button>
    </Form>
  );
}

/** The household released, with its outcome and reason; the period's end needs the last day's check-in. */
export function EndForm({ isolation }: { isolation: Isolation }) {
  const session = useSession();
  const { t } = session;
  const [choice, setChoice] = useState<(typeof RELEASE_OUTCOMES)[number]>('completed');
  const [reason, setReason] = useState('');
  const outcome = useOutcome();
  // Only a completed period asks for the last day's check-in: hospital or moving away end it early.
  const refused = choice === 'completed' && !mayRelease(isolation);
  async function save() {
    if (refused) return;
    outcome.show(
      await createRecord(session, 'isolation-end', {
        isolationId: isolation.start.id,
        outcome: choice,
        reason: reason.trim(),
      }),
    );
  }
  return (
    <Form onSubmit={() => void save()}>
      <SelectField
        label={t('field.outcome')}
        path="data.outcome"
        value={choice}
        options={RELEASE_OUTCOMES.map((value) => ({
          value,
          label: t(`isolation.outcome.${value}`),
        }))}
        issues={outcome.issues}
        onValue={setChoice}
      />
      <TextField
        label={t('field.reason')}
        path="data.reason"
        value={reason}
        issues={outcome.issues}
        onValue={setReason}
      />
      {refused && (
        <p class="warning" role="alert">
          {t('isolation.needsLastCheckIn', { day: lastDay(isolation) })}
        </p>
      )}
      <IssueSummary issues={outcome.issues} />
      <FailureLine text={outcome.failure} />
      <button type="submit" class="primary" disabled={refused}>
        {t('isolation.release')}
      </button>
    </Form>
  );
}
