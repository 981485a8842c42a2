import { useState } from 'preact/hooks';
import type { FieldIssue } from '../domain/issues';
import type { KadianRecord, RecordKind } from '../domain/records';
import { Form, IssueSummary, TextField } from './fields';
import { useT } from './i18n';
import { clockTime, describeRecord } from './record-summary';

export interface LogEntry {
  record: KadianRecord;
  sync: { state: 'pending' | 'sent' | 'rejected'; error?: string };
  /** The reason it was voided, when a void record points at it. */
  voidReason?: string;
}

interface RecordListProps {
  entries: LogEntry[];
  kinds: RecordKind[];
  filter: RecordKind | '';
  onFilter: (kind: RecordKind | '') => void;
  /** Resolves to the issues of the void record (empty when saved). */
  onVoid: (recordId: string, reason: string) => Promise<FieldIssue[]>;
}

/** Today's records, newest first, each with its time, kind and what it says, and a way to void it. */
export function RecordList({ entries, kinds, filter, onFilter, onVoid }: RecordListProps) {
  const t = useT();
  const shown = filter ? entries.filter((entry) => entry.record.kind === filter) : entries;
  return (
    <section>
      <div class="field">
        <label for="log-filter">{t('log.filter')}</label>
        <select
          id="log-filter"
          value={filter}
          onChange={(event) => onFilter(event.currentTarget.value as RecordKind | '')}
        >
          <option value="">{t('log.all')}</option>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      {shown.length === 0 ? (
        <p>{t('log.empty')}</p>
      ) : (
        <ol class="log" aria-label={t('nav.log')}>
          {shown.map((entry) => (
            <LogItem key={entry.record.id} entry={entry} onVoid={onVoid} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LogItem({ entry, onVoid }: { entry: LogEntry; onVoid: RecordListProps['onVoid'] }) {
  const t = useT();
  const { record, voidReason } = entry;
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const canVoid = record.kind !== 'void' && voidReason === undefined;
  return (
    <li
      class={`log__item${voidReason !== undefined ? ' log__item--voided' : ''}`}
      data-kind={record.kind}
    >
      <RecordLine record={record} time={clockTime} />
      {voidReason !== undefined && (
        <p class="log__voided">{t('log.voided', { reason: voidReason })}</p>
      )}
      <p class="log__state">{t(`state.${entry.sync.state}`, { error: entry.sync.error ?? '' })}</p>
      {canVoid && !voiding && (
        <button type="button" class="small" onClick={() => setVoiding(true)}>
          {t('log.void')}
        </button>
      )}
      {voiding && (
        <Form
          inline
          onSubmit={async () => {
            const found = await onVoid(record.id, reason);
            setIssues(found);
            if (found.length === 0) setVoiding(false);
          }}
        >
          <TextField
            label={t('log.voidReason')}
            path="data.reason"
            value={reason}
            issues={issues}
            onValue={setReason}
          />
          <IssueSummary issues={issues} />
          <button type="submit" class="danger">
            {t('log.voidConfirm')}
          </button>
          <button type="button" onClick={() => setVoiding(false)}>
            {t('common.cancel')}
          </button>
        </Form>
      )}
    </li>
  );
}

/** A record in one line: when, what kind, and what it holds (ID numbers masked). */
export function RecordLine({
  record,
  time,
}: {
  record: KadianRecord;
  time: (ms: number) => string;
}) {
  const t = useT();
  return (
    <p>
      <time dateTime={new Date(record.recordedAt).toISOString()}>{time(record.recordedAt)}</time>{' '}
      <strong>{t(`kind.${record.kind}`)}</strong> {describeRecord(t, record)}
    </p>
  );
}
