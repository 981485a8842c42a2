import { useEffect, useState } from 'preact/hooks';
import { readIsolations } from '../../db/isolations';
import { REPORT_STORES, readReportDay } from '../../db/report';
import { readMeta, writeMeta } from '../../db/settings';
import { reportData, summarizeDay } from '../../domain/daily-summary';
import { localDay } from '../../domain/day';
import { isolationCounts, isolationRules } from '../../domain/isolation';
import { DailyReport } from '../../ui/daily-report';
import { Form, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { createRecord, refusal, useSession } from '../session';
import { syncNow } from '../sync/sync-runner';
import { useLive } from '../use-live';
import { useLiveTables } from '../use-live-tables';
import { downloadCsv, downloadJson, type ReportContext, sharePicture } from './report-export';

const SUMMARY_MEASURE = 'kadian:day-summary';

/** The daily zero-report of this device: pick a day, read it, print, share, export, submit. */
export function ReportScreen() {
  const session = useSession();
  const { db, t, config } = session;
  const today = localDay(Date.now());
  const [date, setDate] = useState(today);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const noteKey = `draft:report-note:${date}` as const;

  useEffect(() => {
    void readMeta(db, noteKey).then((saved) => setNote(typeof saved === 'string' ? saved : ''));
  }, [db, noteKey]);

  // The checkpoint's isolations are the same whatever the day: read once, kept current.
  const isolations = useLive(
    () => readIsolations(db, config.checkpoint.id),
    [db, config.checkpoint.id],
  );
  const day = useLiveTables(
    db,
    REPORT_STORES,
    async () => {
      if (!isolations) return undefined;
      const start = performance.now();
      const { input, unsent, submitted } = await readReportDay(
        db,
        config.checkpoint.id,
        date,
        config.localPlatePrefix,
        config.rules.retentionDays,
      );
      const isolation = isolationCounts(isolations, date, Date.now(), isolationRules(config.rules));
      const summary = summarizeDay({ ...input, isolation });
      // The reading and counting alone, as a User Timing entry a benchmark can watch (the last one kept).
      performance.clearMeasures(SUMMARY_MEASURE);
      performance.measure(SUMMARY_MEASURE, { start, end: performance.now() });
      return { summary, unsent, submitted };
    },
    [db, date, config, isolations],
  );

  if (!day) return <section class="screen report-screen" />;
  const context: ReportContext = {
    summary: day.summary,
    place: {
      county: config.place.county.name,
      township: config.place.township.name,
      community: config.place.community.name,
      courtyard: config.place.courtyard.name,
    },
    checkpoint: config.checkpoint,
    deviceName: config.deviceName,
    note,
    unsent: day.unsent,
  };

  async function submit() {
    if (!day) return;
    const saved = await createRecord(
      session,
      'daily-report',
      reportData(day.summary, config.place, note),
    );
    if (!saved.ok) {
      setStatus('');
      return setFailure(refusal(t, saved));
    }
    setFailure('');
    setStatus(t('report.submitted', { date }));
    void syncNow();
  }

  async function share() {
    try {
      const how = await sharePicture(t, context);
      setStatus(t(how === 'shared' ? 'report.sharedPicture' : 'report.savedPicture'));
    } catch {
      setFailure(t('report.pictureFailed'));
    }
  }

  return (
    <section class="screen report-screen">
      <h1>{t('report.screen')}</h1>
      <div class="report-controls">
        <div class="field">
          <label for="report-date">{t('report.date')}</label>
          <input
            id="report-date"
            type="date"
            value={date}
            max={today}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(value)) setDate(value);
            }}
          />
        </div>
        {day.unsent > 0 && (
          <p class="warning" role="status">
            {t('report.unsentWarning', { count: day.unsent })}
          </p>
        )}
        <Form onSubmit={() => void submit()}>
          <TextField
            label={t('report.note')}
            path="data.note"
            value={note}
            issues={[]}
            optional
            multiline
            onValue={(value) => {
              setNote(value);
              // A full disk loses only the draft's copy: the note stays in the form.
              void writeMeta(db, noteKey, value).catch(() => {});
            }}
          />
          {day.submitted > 0 && <p>{t('report.alreadySubmitted', { count: day.submitted })}</p>}
          <div class="actions">
            <button type="submit" class="primary">
              {t('report.submit')}
            </button>
            <button type="button" onClick={() => window.print()}>
              {t('report.print')}
            </button>
            <button type="button" onClick={() => void share()}>
              {t('report.share')}
            </button>
            <button type="button" onClick={() => downloadCsv(t, context)}>
              {t('report.csv')}
            </button>
            <button
              type="button"
              onClick={() => downloadJson(context, reportData(day.summary, config.place, note))}
            >
              {t('report.json')}
            </button>
          </div>
        </Form>
        <FailureLine text={failure} />
        <StatusLine text={status} />
      </div>
      <DailyReport
        summary={day.summary}
        place={config.place}
        checkpointName={config.checkpoint.name}
        deviceName={config.deviceName}
        note={note}
        unsent={day.unsent}
        printedAt={Date.now()}
      />
    </section>
  );
}
