import { useState } from 'preact/hooks';
import { useSession } from '../session';
import { AdminPinGate } from '../settings/admin-pin';
import { DataKeySection } from './data-key';
import { IssueSection } from './issue';
import { IssuerSection } from './issuer';
import { RevokeSection } from './revoke';
import { SetupSection } from './setup-code';

/**
 * The community office, behind the admin PIN: the issuer key, issuing and printing passes, revoking,
 * the data key personal numbers are encrypted to, and the gates' setup code.
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
        </>
      )}
    </section>
  );
}
