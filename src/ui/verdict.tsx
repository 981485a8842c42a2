import { lightFormat } from 'date-fns';
import type { RecordData } from '../domain/records';
import { useT } from './i18n';

/** The big verdict after a scan: a colour, a word, and what the card says or why it was refused. */
export function Verdict({
  scan,
  recordId,
  pass,
}: {
  scan: RecordData<'pass-scan'>;
  recordId: string;
  /** What the signed card says, when it was checked: its address label and validity. */
  pass?: { addr: string; na: number };
}) {
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
      {pass && (
        <p class="verdict__detail">
          {t('verdict.address', {
            addr: pass.addr,
            until: lightFormat(pass.na * 1000, 'yyyy-MM-dd'),
          })}
        </p>
      )}
      {scan.reason && <p class="verdict__detail">{t(`reason.${scan.reason}`)}</p>}
      {scan.verdict === 'unverified' && <p class="verdict__hint">{t('verdict.unverified.hint')}</p>}
    </section>
  );
}
