import { lightFormat } from 'date-fns';
import { useEffect, useState } from 'preact/hooks';
import type { RecordData } from '../domain/records';
import { useT } from './i18n';

/** A verdict older than this says how old it is (and greys): an old green is not read as new. */
export const VERDICT_FRESH_MS = 10_000;
const MARKS = { allowed: '✓', denied: '✗', unverified: '?' } as const;

/**
 * The big verdict after a scan, read at arm's length: a symbol in its own shape, a word, the
 * household's address (only what a trusted key signed) or the reason in plain words.
 */
export function Verdict({
  scan,
  recordId,
  at,
  pass,
  brief,
}: {
  scan: RecordData<'pass-scan'>;
  recordId: string;
  /** When the scan was recorded (ms). */
  at: number;
  /** What the signed card says, when its signature was checked: its address and validity. */
  pass?: { addr: string; na: number };
  /** Headline and address only: the temperature pad needs the room (a refusal is never brief). */
  brief?: boolean;
}) {
  const t = useT();
  const age = useAge(at);
  const old = age >= VERDICT_FRESH_MS;
  const big = pass?.addr ?? (scan.reason ? t(`reason.${scan.reason}`) : t('verdict.checkCard'));
  const detail =
    pass && scan.reason
      ? t(`reason.${scan.reason}`)
      : pass
        ? t('verdict.until', { until: lightFormat(pass.na * 1000, 'yyyy-MM-dd') })
        : scan.verdict === 'unverified'
          ? t('verdict.unverified.hint')
          : '';
  return (
    <section
      class={`verdict verdict--${scan.verdict}${old ? ' verdict--old' : ''}`}
      aria-live="assertive"
      aria-atomic="true"
      data-record-id={recordId}
      data-pass-id={scan.passId}
    >
      <span class="verdict__mark" aria-hidden="true">
        {MARKS[scan.verdict]}
      </span>
      <div class="verdict__text">
        <p class="verdict__word">
          {t(`verdict.${scan.verdict}`)} · {t(scan.direction === 'in' ? 'gate.in' : 'gate.out')}
        </p>
        <p class="verdict__subject">{big}</p>
        {detail && !(brief && scan.verdict !== 'denied') && <p class="verdict__detail">{detail}</p>}
        {old && (
          <p class="verdict__age">
            {age < 60_000
              ? t('verdict.secondsAgo', { n: Math.floor(age / 1000) })
              : t('verdict.minutesAgo', { n: Math.floor(age / 60_000) })}
          </p>
        )}
      </div>
    </section>
  );
}

/** Milliseconds since `at`, updated every second. */
function useAge(at: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, now - at);
}
