import { lightFormat } from 'date-fns';
import { alertKnown } from '../../db/express';
import { alertProgress, DEFAULT_SMS_AFTER_SECONDS, smsDue, smsLink } from '../../domain/alerts';
import { dutyNumber } from '../../domain/config';
import type { KadianRecord } from '../../domain/records';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { useNow } from '../use-now';

/**
 * Where the gate's fever alert is: saved here, delivered, taken by whom, closed how. When the
 * receiver has not confirmed it in time (or cannot say), an SMS to the duty number, prefilled.
 */
export function AlertStatus({
  first,
  celsius,
  who,
  done,
}: {
  /** The alert's record (a fever's first reading, a symptomatic isolation check-in). */
  first: KadianRecord;
  celsius: number;
  /** Who it is about, masked, and what was done so far, in words for the SMS. */
  who: string;
  done: string;
}) {
  const { db, t, config } = useSession();
  const now = useNow(1000);
  const known = useLive(() => alertKnown(db, first.id), [db, first.id]);
  if (!known) return null;
  const progress = alertProgress(first.recordedAt, known.deliveredAt, known.pulled);
  const time = lightFormat(progress.at, 'HH:mm');
  const line =
    progress.step === 'closed'
      ? t('alert.closed', {
          by: progress.by,
          time,
          outcome: t(`alert.outcome.${progress.outcome}`),
        })
      : progress.step === 'taken'
        ? t('alert.taken', { by: progress.by, time })
        : t(`alert.${progress.step}`, { time });
  const { smsAfterSeconds = DEFAULT_SMS_AFTER_SECONDS } = config.rules;
  // Whoever the office's roster has on duty now, else the duty number.
  const duty = dutyNumber(config, now);
  const offerSms =
    duty !== undefined &&
    smsDue(progress, now, first.recordedAt, smsAfterSeconds, config.sync?.adapter === 'native');
  const body = t('alert.smsBody', {
    place: config.checkpoint.name,
    time: lightFormat(first.recordedAt, 'HH:mm'),
    celsius: celsius.toFixed(1),
    who,
    done: done || t('alert.smsNothingYet'),
  });
  return (
    <div class="alert-status">
      <p role="status">{line}</p>
      {offerSms && (
        <a class="button primary" href={smsLink(duty.number, body)}>
          {duty.name
            ? t('alert.smsTo', { name: duty.name, number: duty.number })
            : t('alert.sms', { number: duty.number })}
        </a>
      )}
    </div>
  );
}
