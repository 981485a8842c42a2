import { lightFormat } from 'date-fns';
import { useEffect, useState } from 'preact/hooks';
import { readMeta, writeMeta } from '../../db/settings';
import type { Isolation } from '../../domain/isolation';
import {
  type CheckInDraft,
  checkInData,
  everyoneSame,
  type ReadingDraft,
  type Symptom,
} from '../../domain/isolation-draft';
import type { FieldIssue } from '../../domain/issues';
import { maskName } from '../../domain/mask';
import { type RecordOfKind, SYMPTOMS } from '../../domain/records';
import { Form, IssueSummary, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { AlertStatus } from '../gate/alert-status';
import { signal } from '../gate/feedback';
import { createRecord, useSession } from '../session';

const emptyDraft = (isolation: Isolation): CheckInDraft => ({
  how: 'door',
  reporter: isolation.start.data.members[0]?.name ?? '',
  readings: isolation.start.data.members.map(() => ({ celsius: '', symptoms: [] })),
});

/**
 * A household's check-in: one reporter, each member's temperature and symptoms (everyone the same
 * as the first in one tap), at the door or by phone. A fever or difficulty breathing raises the
 * fever alert at once (the record travels in the alert lane).
 */
export function CheckInForm({ isolation }: { isolation: Isolation }) {
  const session = useSession();
  const { db, t, config } = session;
  const [draft, setDraft] = useState(() => emptyDraft(isolation));
  // What was typed survives a reload or an update, until the check-in is saved.
  const kept = `draft:check-in:${isolation.start.id}` as const;
  useEffect(() => {
    void readMeta(db, kept).then((saved) => {
      if (saved) setDraft(saved as CheckInDraft);
    });
  }, [db, kept]);
  const change = (next: CheckInDraft) => {
    setDraft(next);
    void writeMeta(db, kept, next).catch(() => {});
  };
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState('');
  const [saved, setSaved] = useState<RecordOfKind<'isolation-check-in'>>();
  const { members } = isolation.start.data;

  const setReading = (index: number, reading: ReadingDraft) =>
    change({
      ...draft,
      readings: draft.readings.map((old, i) => (i === index ? reading : old)),
    });

  async function save() {
    const result = await createRecord(
      session,
      'isolation-check-in',
      checkInData(isolation.start.id, draft, config.rules.feverThreshold),
    );
    if (!result.ok) {
      setIssues(result.issues);
      setFailure(result.failure ?? '');
      return;
    }
    setIssues([]);
    setFailure('');
    setSaved(result.record);
    setDraft(emptyDraft(isolation));
    await writeMeta(db, kept, undefined).catch(() => {});
    signal(result.record.data.symptomatic ? 'fever' : 'ok');
  }

  const alerting = saved?.data.symptomatic ? saved : undefined;
  const worst = alerting?.data.readings.reduce((a, b) => (b.celsius > a.celsius ? b : a));
  return (
    <Form onSubmit={() => void save()}>
      {saved && (
        <StatusLine
          text={t(saved.data.symptomatic ? 'isolation.savedSymptomatic' : 'isolation.saved', {
            time: lightFormat(saved.recordedAt, 'HH:mm'),
          })}
        />
      )}
      {alerting && worst && (
        <AlertStatus
          first={alerting}
          celsius={worst.celsius}
          who={`${isolation.start.data.address} ${maskName(members[worst.member]?.name ?? '')}`}
          done=""
        />
      )}
      <fieldset class="chips">
        <legend>{t('field.how')}</legend>
        {(['door', 'phone'] as const).map((how) => (
          <button
            type="button"
            key={how}
            aria-pressed={draft.how === how}
            onClick={() => change({ ...draft, how })}
          >
            {t(`isolation.how.${how}`)}
          </button>
        ))}
      </fieldset>
      <TextField
        label={t('field.reporter')}
        path="data.reporter"
        value={draft.reporter}
        issues={issues}
        onValue={(reporter) => change({ ...draft, reporter })}
      />
      {members.length > 1 && (
        <button type="button" onClick={() => change(everyoneSame(draft))}>
          {t('isolation.same', { name: members[0]?.name ?? '' })}
        </button>
      )}
      {members.map((member, i) => {
        const reading = draft.readings[i] as ReadingDraft;
        return (
          <fieldset key={i} class="isolation-member">
            <legend>{member.name}</legend>
            <TextField
              label={t('field.celsius')}
              path={`data.readings.${i}.celsius`}
              value={reading.celsius}
              issues={issues}
              inputMode="decimal"
              onValue={(celsius) => setReading(i, { ...reading, celsius })}
            />
            <fieldset class="chips chips--wrap">
              <legend class="visually-hidden">{t('field.symptoms')}</legend>
              {SYMPTOMS.map((symptom: Symptom) => (
                <button
                  type="button"
                  key={symptom}
                  aria-pressed={reading.symptoms.includes(symptom)}
                  onClick={() =>
                    setReading(i, {
                      ...reading,
                      symptoms: reading.symptoms.includes(symptom)
                        ? reading.symptoms.filter((other) => other !== symptom)
                        : [...reading.symptoms, symptom],
                    })
                  }
                >
                  {t(`symptom.${symptom}`)}
                </button>
              ))}
            </fieldset>
          </fieldset>
        );
      })}
      <IssueSummary issues={issues} />
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {t('isolation.checkIn')}
      </button>
    </Form>
  );
}
