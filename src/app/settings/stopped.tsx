import { useState } from 'preact/hooks';
import { unsentRecords } from '../../db/retention';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { AdminPinGate } from './admin-pin';
import { WipeSection } from './wipe';

/**
 * The office stopped this device (lost or replaced): it is not used at the gate any more. What the
 * receiver has was removed from it at once; what it has not sent stays, for the office to export
 * (behind the admin PIN) and import at the receiver, then wipe.
 */
export function StoppedScreen() {
  const { db, t, config } = useSession();
  const unsent = useLive(() => unsentRecords(db), [db]);
  const [unlocked, setUnlocked] = useState(false);
  return (
    <section class="screen stopped">
      <h1>{t('stopped.title')}</h1>
      <p role="alert">{t('stopped.body')}</p>
      {unsent && <p>{t('stopped.unsent', { count: unsent.length })}</p>}
      {unlocked ? (
        <WipeSection />
      ) : (
        <AdminPinGate mayCreate={!config.provisionedBy} onUnlocked={() => setUnlocked(true)} />
      )}
    </section>
  );
}
