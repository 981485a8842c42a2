import { addDays, lightFormat, parseISO } from 'date-fns';
import { localDay } from '../../domain/day';
import {
  checkInsOn,
  dayNumber,
  type Isolation,
  isolationRules,
  lastDay,
  missedOn,
} from '../../domain/isolation';
import { useSession } from '../session';
import { useNow } from '../use-now';

/** The days the ledger covers: day 1 to the last day, or to today while that is later. */
function ledgerDays(isolation: Isolation, today: string): string[] {
  const end = isolation.end ? localDay(isolation.end.recordedAt) : lastDay(isolation);
  const until = end < today || isolation.end ? end : today;
  const days: string[] = [];
  for (
    let day = isolation.start.data.startDay;
    day <= until;
    day = localDay(addDays(parseISO(day), 1).getTime())
  )
    days.push(day);
  return days;
}

/**
 * A household's health ledger (健康台帐): its check-ins day by day, each member's temperature and
 * symptoms, how and by whom; days missed marked. Printed on A4 for the office's files.
 */
export function Ledger({ isolation }: { isolation: Isolation }) {
  const { t, config } = useSession();
  // Drawn again every minute (a cutoff passes) and on every change; each drawing reads the clock.
  useNow(60_000);
  const now = Date.now();
  const rules = isolationRules(config.rules);
  const { address, members, startDay, reason } = isolation.start.data;
  return (
    <>
      <article class="report ledger">
        <h2>{t('ledger.title', { address })}</h2>
        <p>
          {t('ledger.period', { start: startDay, last: lastDay(isolation) })} · {reason} ·{' '}
          {config.checkpoint.name}
        </p>
        {isolation.end && (
          <p>
            {t('ledger.ended', {
              day: localDay(isolation.end.recordedAt),
              outcome: t(`isolation.outcome.${isolation.end.data.outcome}`),
              reason: isolation.end.data.reason,
            })}
          </p>
        )}
        <table>
          <thead>
            <tr>
              <th>{t('ledger.day')}</th>
              <th>{t('ledger.time')}</th>
              {members.map((member, i) => (
                <th key={i}>{member.name}</th>
              ))}
              <th>{t('ledger.by')}</th>
            </tr>
          </thead>
          <tbody>
            {ledgerDays(isolation, localDay(now)).flatMap((day) => {
              const label = `${t('ledger.dayNumber', { day: dayNumber(isolation, day) })} ${day.slice(5)}`;
              const checkIns = checkInsOn(isolation, day);
              if (checkIns.length === 0)
                return [
                  <tr key={day} class={missedOn(isolation, day, now, rules) ? 'missed' : undefined}>
                    <th scope="row">{label}</th>
                    <td colSpan={members.length + 2}>
                      {missedOn(isolation, day, now, rules) ? t('ledger.missed') : '—'}
                    </td>
                  </tr>,
                ];
              return checkIns.map((checkIn, n) => (
                <tr key={checkIn.id}>
                  <th scope="row">{n === 0 ? label : ''}</th>
                  <td>{lightFormat(checkIn.recordedAt, 'HH:mm')}</td>
                  {members.map((_, member) => {
                    const reading = checkIn.data.readings.find((one) => one.member === member);
                    return (
                      <td key={member}>
                        {reading
                          ? [
                              reading.celsius.toFixed(1),
                              ...reading.symptoms.map((symptom) => t(`symptom.${symptom}`)),
                            ].join(' ')
                          : '—'}
                      </td>
                    );
                  })}
                  <td>
                    {checkIn.data.reporter} · {t(`isolation.how.${checkIn.data.how}`)}
                  </td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      </article>
      <button type="button" onClick={() => window.print()}>
        {t('ledger.print')}
      </button>
    </>
  );
}
