import type { RecordData } from '../domain/records';
import { useT } from './i18n';

/** The big verdict after a scan: a colour, a word, and what the card says or why it was refused. */
export function Verdict({ scan, recordId }: { scan: RecordData<'pass-scan'>; recordId: string }) {
  const t = useT();
  return (
    <section
      class={`verdict verdict--${scan.verdict}`}
      aria-live="assertive"
      aria-atomic="true"
      data-record-id={recordId}
      data-pass-id={scan.passId}
    >
      <p class="verdict__word">
        {t(`verdict.${scan.verdict}`)} · {t(scan.direction === 'in' ? 'gate.in' : 'gate.out')}
      </p>
      {scan.passId && (
        <p class="verdict__detail">
          {t('verdict.pass', { passId: scan.passId, householdId: scan.householdId ?? '' })}
        </p>
      )}
      {scan.reason && <p class="verdict__detail">{t(`reason.${scan.reason}`)}</p>}
      {scan.verdict === 'unverified' && <p class="verdict__hint">{t('verdict.unverified.hint')}</p>}
    </section>
  );
}
