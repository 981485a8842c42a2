import { useState } from 'preact/hooks';
import { AdminPinGate } from '../admin-pin';
import { DataKeySection } from '../office/data-key';
import { IssueSection } from '../office/issue';
import { IssuerSection } from '../office/issuer';
import { RevokeSection } from '../office/revoke';
import { SetupSection } from '../office/setup-code';
import { useSession } from '../session';

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
