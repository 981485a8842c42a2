import { useState } from 'preact/hooks';
import { pendingCount, readSyncStatus, rejectedRecords } from '../../db/outbox';
import { oldUnsentCount } from '../../db/retention';
import { SyncPanel } from '../../ui/sync-panel';
import { allowedByDeployment } from '../deployment-check';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { syncNow } from './sync-runner';
/** Uploading: what waits, what went wrong, what the endpoint refused, and "upload now". */
export function SyncScreen() {
  const { db, t, config } = useSession();
  const [running, setRunning] = useState(false);
  const state = useLive(
    async () => ({
      pending: await pendingCount(db),
      status: await readSyncStatus(db),
      rejected: await rejectedRecords(db),
      oldUnsent: await oldUnsentCount(db, config.rules.retentionDays, Date.now()),
    }),
    [db, config.rules.retentionDays],
  );
  // An address the deployment does not allow fails like a dead network: say which it is.
  const endpoint = config.sync?.endpoint;
  const allowed = useLive(
    async () => !endpoint || (await allowedByDeployment(endpoint)),
    [endpoint],
  );
  return (
    <section class="screen sync-screen">
      <h1>{t('sync.title')}</h1>
      {state !== undefined && state.oldUnsent > 0 && (
        <p class="warning" role="alert">
          {t('sync.oldUnsent', { count: state.oldUnsent, days: config.rules.retentionDays })}
        </p>
      )}
      {state && (
        <SyncPanel
          configured={config.sync !== undefined}
          pending={state.pending}
          status={state.status}
          blocked={allowed === false}
          rejected={state.rejected}
          running={running}
          onSyncNow={async () => {
            setRunning(true);
            await syncNow();
            setRunning(false);
          }}
        />
      )}
    </section>
  );
}
