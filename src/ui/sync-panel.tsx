import { lightFormat } from 'date-fns';
import type { KadianRecord } from '../domain/records';
import type { MessageKey } from '../i18n';
import { useT } from './i18n';
import { FailureLine } from './notices';
import { RecordLine } from './record-list';
import { clockTime } from './record-summary';

/** Clocks further apart than this get a warning: validity, curfew and days follow the device's. */
export const CLOCK_SKEW_WARN_MS = 5 * 60_000;

/** The parts of the engine's status the volunteer sees. */
export interface SyncView {
  lastSuccessAt?: number;
  lastProblem?: { problem: string; status?: number };
  nextAttemptAt?: number;
  paused?: string;
  clockSkewMs?: number;
}

interface SyncPanelProps {
  configured: boolean;
  pending: number;
  status: SyncView;
  rejected: { record: KadianRecord; error?: string }[];
  running: boolean;
  /** The deployment's policy does not allow the upload address: no attempt can get through. */
  blocked?: boolean;
  onSyncNow: () => void;
}

const when = (ms: number) => lightFormat(ms, 'yyyy-MM-dd HH:mm:ss');

/** What the volunteer needs to know about uploading, in plain words, and a button to do it now. */
export function SyncPanel({
  configured,
  pending,
  status,
  rejected,
  running,
  blocked = false,
  onSyncNow,
}: SyncPanelProps) {
  const t = useT();
  const problem = status.lastProblem;
  const unanswered = problem?.problem === 'unreachable' || problem?.problem === 'offline';
  const problemText =
    problem &&
    t(`problem.${blocked && unanswered ? 'blocked' : problem.problem}` as MessageKey, {
      status: problem.status ?? '',
    });
  const skewMinutes =
    status.clockSkewMs !== undefined && Math.abs(status.clockSkewMs) > CLOCK_SKEW_WARN_MS
      ? Math.round(Math.abs(status.clockSkewMs) / 60_000)
      : undefined;
  return (
    <section class="sync">
      {!configured && <FailureLine text={t('sync.notConfigured')} />}
      <p class="sync__pending" aria-live="polite">
        {pending === 0 ? t('sync.allSent') : t('sync.pending', { count: pending })}
      </p>
      <p>
        {status.lastSuccessAt
          ? t('sync.lastSuccess', { time: when(status.lastSuccessAt) })
          : t('sync.never')}
      </p>
      {status.paused && problemText && <FailureLine text={`${t('sync.paused')}${problemText}`} />}
      {!status.paused && problemText && pending > 0 && (
        <p class="issues" role="status">
          {t('sync.lastProblem', { problem: problemText })}
          {status.nextAttemptAt &&
            ` ${t('sync.nextAttempt', { time: clockTime(status.nextAttemptAt) })}`}
        </p>
      )}
      {skewMinutes !== undefined && (
        <FailureLine text={t('sync.clockSkew', { minutes: skewMinutes })} />
      )}
      <button type="button" class="primary" disabled={!configured || running} onClick={onSyncNow}>
        {running ? t('sync.running') : t('sync.now')}
      </button>
      {rejected.length > 0 && (
        <>
          <h2>{t('sync.rejected', { count: rejected.length })}</h2>
          <p>{t('sync.rejectedHint')}</p>
          <ul class="log" aria-label={t('sync.rejected', { count: rejected.length })}>
            {rejected.map(({ record, error }) => (
              <li key={record.id} class="log__item">
                <RecordLine record={record} time={when} />
                <p class="log__voided">{t('state.rejected', { error: error ?? '' })}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
