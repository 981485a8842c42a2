import { useEffect, useState } from 'preact/hooks';
import { visitorsInside } from '../../db/records';
import { readMeta, writeMeta } from '../../db/settings';
import type { FieldIssue } from '../../domain/issues';
import type { RecordOfKind } from '../../domain/records';
import { EMPTY_VISITOR, isFromKeyArea, type VisitorDraft, visitorData } from '../../domain/visitor';
import { FailureLine, StatusLine } from '../../ui/notices';
import { clockTime } from '../../ui/record-summary';
import { VisitorForm } from '../../ui/visitor-form';
import { TemperatureFlow } from '../gate/temperature-flow';
import { createRecord, refusal, useSession } from '../session';
import { useLive } from '../use-live';

type Visitor = RecordOfKind<'visitor-in'>;

/** Visitor registration: the form (kept as a draft through reloads and updates), then who is still inside. */
export function VisitorsScreen() {
  const session = useSession();
  const { db, t, config } = session;
  const [draft, setDraft] = useState<VisitorDraft>();
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [measuring, setMeasuring] = useState<Visitor>();
  const inside = useLive(
    () => visitorsInside(db, config.checkpoint.id),
    [db, config.checkpoint.id],
  );

  useEffect(() => {
    void readMeta(db, 'draft:visitor').then((saved) =>
      setDraft({ ...EMPTY_VISITOR, ...(saved as Partial<VisitorDraft>) }),
    );
  }, [db]);

  function change(next: VisitorDraft) {
    // A region on the key-area list ticks the box; the volunteer can still untick it by hand.
    const region = next.region !== draft?.region && isFromKeyArea(next.region, config.keyAreas);
    const updated = region ? { ...next, keyArea: true } : next;
    setDraft(updated);
    // Every keystroke is kept, so a reload, a crash or an app update loses nothing typed. With the
    // disk full the draft cannot be kept; the form still holds it, and saving says what is wrong.
    // With an office data key, ID and phone numbers are never written unencrypted, drafts included.
    const kept = config.dataKey ? { ...updated, idNumber: '', phone: '' } : updated;
    void writeMeta(db, 'draft:visitor', kept).catch(() => {});
  }

  async function register() {
    if (!draft) return;
    setBusy(true);
    const saved = await createRecord(session, 'visitor-in', visitorData(draft));
    setBusy(false);
    if (!saved.ok) {
      setIssues(saved.issues);
      setFailure(saved.failure ?? '');
      return;
    }
    setFailure('');
    setIssues([]);
    setStatus(t('visitor.saved', { name: saved.record.data.name }));
    setDraft(EMPTY_VISITOR);
    await writeMeta(db, 'draft:visitor', EMPTY_VISITOR).catch(() => {});
    setMeasuring(saved.record);
  }

  async function checkOut(visitor: Visitor) {
    const saved = await createRecord(session, 'visitor-out', { visitorId: visitor.id });
    setFailure(saved.ok ? '' : refusal(t, saved));
    if (saved.ok) setStatus(t('visitor.checkedOut', { name: visitor.data.name }));
  }

  const keyAreaHint =
    draft && config.keyAreas && isFromKeyArea(draft.region, config.keyAreas)
      ? t('visitor.keyAreaAuto', { asOf: config.keyAreas.asOf })
      : undefined;

  return (
    <section class="screen visitors">
      <h1>{t('visitor.title')}</h1>
      <StatusLine text={status} />
      <FailureLine text={failure} />
      {measuring && (
        <TemperatureFlow
          key={measuring.id}
          subject={{ type: 'visitor', ref: measuring.id, name: measuring.data.name }}
          heading={t('temp.subject', {
            subject: t('temp.subject.visitor', { name: measuring.data.name }),
          })}
          onFinished={(summary) => {
            setMeasuring(undefined);
            setStatus(summary);
          }}
        />
      )}
      {draft && !measuring && (
        <VisitorForm
          draft={draft}
          issues={issues}
          keyAreaHint={keyAreaHint}
          onChange={change}
          onSubmit={() => void register()}
          busy={busy}
        />
      )}
      <h2>{t('visitor.inside', { count: inside?.length ?? 0 })}</h2>
      {inside && inside.length === 0 && <p>{t('visitor.none')}</p>}
      <ul class="inside">
        {inside?.map(({ record }) => {
          const visitor = record as Visitor;
          return (
            <li key={visitor.id}>
              <p>
                <strong>{visitor.data.name}</strong> · {visitor.data.visiting} ·{' '}
                {t('visitor.since', { time: clockTime(visitor.recordedAt) })}
              </p>
              <div class="row">
                <button type="button" onClick={() => setMeasuring(visitor)}>
                  {t('visitor.takeTemperature')}
                </button>
                <button type="button" onClick={() => void checkOut(visitor)}>
                  {t('visitor.checkOut')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
