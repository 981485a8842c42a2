import { useState } from 'preact/hooks';
import { useSession } from '../session';
import { AdminPinGate } from '../settings/admin-pin';
import { DataKeySection } from './data-key';
import { IsolationWatch } from './isolation-watch';
import { IssueSection } from './issue';
import { IssuerSection } from './issuer';
import { PublishSection } from './publish';
import { RevokeSection } from './revoke';
import { SetupSection } from './setup-code';

/**
 * The community office, behind the admin PIN: the issuer key, issuing and printing passes, revoking,
 * the data key personal numbers are encrypted to, the gates' setup code, and the day's configuration
 * pushed to the gates (with the gates as the receiver last heard from them), and the households in
 * home isolation that went quiet.
 */
export function OfficeScreen() {
  const { t, config } = useSession();
  const [unlocked, setUnlocked] = useState(false);
  return (
    <section class="screen office">
      <h1>{t('office.title')}</h1>
      {!unlocked && (
        <AdminPinGate mayCreate={!config.provisionedBy} onUnlocked={() => setUnlocked(true)} />
      )}
      {unlocked && (
        <>
          <IssuerSection />
          <IssueSection />
          <RevokeSection />
          <DataKeySection />
          <SetupSection />
          <PublishSection />
          <IsolationWatch />
        </>
      )}
    </section>
  );
}
