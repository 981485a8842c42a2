import { useState } from 'preact/hooks';
import { syncStates } from '../../db/outbox';
import { recordsOfDay, recordsPointingAt } from '../../db/records';
import { localDay } from '../../domain/day';
import { RECORD_KINDS, type RecordKind } from '../../domain/records';
import { FailureLine } from '../../ui/notices';
import { type LogEntry, RecordList } from '../../ui/record-list';
import { createRecord, useSession } from '../session';
import { useLive } from '../use-live';

/** Today's log of this checkpoint: every record newest first, with the voided ones marked. */
export function LogScreen() {
  const session = useSession();
  const { db, t, config } = session;
  const [filter, setFilter] = useState<RecordKind | ''>('');
  const [failure, setFailure] = useState('');
  const today = localDay(Date.now());
  const entries = useLive(async (): Promise<LogEntry[]> => {
    const day = await recordsOfDay(db, config.checkpoint.id, today);
    const ids = day.map((stored) => stored.id);
    const [pointing, states] = await Promise.all([recordsPointingAt(db, ids), syncStates(db, ids)]);
    const voids = pointing.filter((stored) => stored.record.kind === 'void');
    const reasons = new Map(
      voids.map((stored) => [
        stored.targetId,
        stored.record.kind === 'void' ? stored.record.data.reason : '',
      ]),
    );
    return day.map((stored) => ({
      record: stored.record,
      sync: states.get(stored.id) ?? { state: 'pending' },
      voidReason: reasons.get(stored.id),
    }));
  }, [db, config.checkpoint.id, today]);

  return (
    <section class="screen log-screen">
      <h1>{t('log.title', { count: entries?.length ?? 0 })}</h1>
      <FailureLine text={failure} />
      {entries && (
        <RecordList
          entries={entries}
          kinds={RECORD_KINDS}
          filter={filter}
          onFilter={setFilter}
          onVoid={async (targetId, reason) => {
            const saved = await createRecord(session, 'void', { targetId, reason: reason.trim() });
            setFailure(saved.ok ? '' : (saved.failure ?? ''));
            return saved.ok ? [] : saved.issues;
          }}
        />
      )}
    </section>
  );
}
