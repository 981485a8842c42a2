import { useEffect, useState } from 'preact/hooks';
import { feverHousehold } from '../../db/isolations';
import { readMeta, writeMeta } from '../../db/settings';
import { localDay } from '../../domain/day';
import { ID_TYPES } from '../../domain/identity';
import { isolationRules } from '../../domain/isolation';
import { EMPTY_MEMBER, type StartDraft, startData } from '../../domain/isolation-draft';
import type { FieldIssue } from '../../domain/issues';
import { Form, IssueSummary, SelectField, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';
import { createRecord, useSession } from '../session';

const DRAFT = 'draft:isolation-start';

/**
 * A household put in home isolation: by hand, or from a fever's "isolated" follow-up (the name,
 * the household and the reason filled in). Kept as a draft while typed.
 */
export function StartForm({ feverId }: { feverId?: string }) {
  const session = useSession();
  const { db, t, config } = session;
  const [draft, setDraft] = useState<StartDraft>();
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState('');

  useEffect(() => {
    const fresh: StartDraft = {
      address: '',
      householdId: '',
      members: [{ ...EMPTY_MEMBER }],
      phone: '',
      startDay: localDay(Date.now()),
      days: String(isolationRules(config.rules).days),
      reason: '',
      checkpointId: config.checkpoint.id,
      volunteer: config.volunteer.name,
    };
    if (feverId)
      void feverHousehold(db, feverId).then((fever) =>
        setDraft({
          ...fresh,
          householdId: fever.householdId ?? '',
          members: [{ ...EMPTY_MEMBER, name: fever.name ?? '' }],
          reason: t('isolation.feverReason', { celsius: fever.celsius?.toFixed(1) ?? '' }),
          feverId,
        }),
      );
    else
      void readMeta(db, DRAFT).then((saved) =>
        setDraft({ ...fresh, ...(saved as Partial<StartDraft>) }),
      );
  }, [db, config, feverId, t]);

  if (!draft) return <section class="screen" />;

  function change(next: StartDraft) {
    setDraft(next);
    // With an office data key, ID numbers are never written unencrypted, drafts included.
    const kept = config.dataKey
      ? { ...next, members: next.members.map((member) => ({ ...member, idNumber: '' })) }
      : next;
    void writeMeta(db, DRAFT, kept).catch(() => {});
  }

  async function save(current: StartDraft) {
    const saved = await createRecord(session, 'isolation-start', startData(current));
    if (!saved.ok) {
      setIssues(saved.issues);
      setFailure(saved.failure ?? '');
      return;
    }
    await writeMeta(db, DRAFT, undefined).catch(() => {});
    window.location.hash = `#/isolation/${saved.record.id}`;
  }

  const LABELS = {
    address: 'field.address',
    householdId: 'field.household',
    phone: 'field.phone',
    reason: 'field.reason',
  } as const;
  const text = (key: keyof typeof LABELS, optional = false) => (
    <TextField
      label={t(LABELS[key])}
      path={`data.${key}`}
      value={draft[key]}
      issues={issues}
      optional={optional}
      inputMode={key === 'phone' ? 'tel' : undefined}
      onValue={(value) => change({ ...draft, [key]: value })}
    />
  );
  const setMember = (index: number, member: StartDraft['members'][number]) =>
    change({ ...draft, members: draft.members.map((old, i) => (i === index ? member : old)) });

  return (
    <section class="screen isolation">
      <p>
        <a href="#/isolation">{t('isolation.back')}</a>
      </p>
      <h1>{t('isolation.new')}</h1>
      <Form onSubmit={() => void save(draft)}>
        {text('address')}
        {draft.members.map((member, i) => (
          <fieldset key={i} class="isolation-member">
            <legend>{t('isolation.member', { n: i + 1 })}</legend>
            <TextField
              label={t('field.name')}
              path={`data.members.${i}.name`}
              value={member.name}
              issues={issues}
              onValue={(name) => setMember(i, { ...member, name })}
            />
            <SelectField
              label={t('field.idType')}
              path={`data.members.${i}.idType`}
              value={member.idType}
              options={ID_TYPES.map((value) => ({ value, label: t(`idType.${value}`) }))}
              issues={issues}
              onValue={(idType) => setMember(i, { ...member, idType })}
            />
            <TextField
              label={t('field.idNumber')}
              path={`data.members.${i}.idNumber`}
              value={member.idNumber}
              issues={issues}
              optional
              onValue={(idNumber) => setMember(i, { ...member, idNumber })}
            />
          </fieldset>
        ))}
        <div class="actions">
          <button
            type="button"
            onClick={() => change({ ...draft, members: [...draft.members, { ...EMPTY_MEMBER }] })}
          >
            {t('isolation.addMember')}
          </button>
          {draft.members.length > 1 && (
            <button
              type="button"
              onClick={() => change({ ...draft, members: draft.members.slice(0, -1) })}
            >
              {t('isolation.removeMember')}
            </button>
          )}
        </div>
        {text('phone')}
        <TextField
          label={t('field.startDay')}
          path="data.startDay"
          date
          value={draft.startDay}
          issues={issues}
          onValue={(startDay) => change({ ...draft, startDay })}
        />
        <TextField
          label={t('field.days')}
          path="data.days"
          value={draft.days}
          issues={issues}
          inputMode="numeric"
          onValue={(days) => change({ ...draft, days })}
        />
        {text('reason')}
        {text('householdId', true)}
        <TextField
          label={t('field.responsible.volunteer')}
          path="data.responsible.volunteer"
          value={draft.volunteer}
          issues={issues}
          optional
          onValue={(volunteer) => change({ ...draft, volunteer })}
        />
        <details
          class="advanced"
          open={issues.some((i) => i.field.startsWith('data.responsible.checkpointId'))}
        >
          <summary>{t('isolation.otherCheckpoint')}</summary>
          <TextField
            label={t('field.responsible.checkpointId')}
            path="data.responsible.checkpointId"
            value={draft.checkpointId}
            issues={issues}
            onValue={(checkpointId) => change({ ...draft, checkpointId })}
          />
        </details>
        <IssueSummary issues={issues} />
        <FailureLine text={failure} />
        <button type="submit" class="primary">
          {t('isolation.start')}
        </button>
      </Form>
    </section>
  );
}
