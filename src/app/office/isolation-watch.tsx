import { readIsolations } from '../../db/isolations';
import { isolationRules, missedDays, missedTwoDaysRunning } from '../../domain/isolation';
import { maskName } from '../../domain/mask';
import { maskMobile } from '../../domain/phone';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { useNow } from '../use-now';

/**
 * The households in home isolation that missed their check-in two days running, at any of the
 * office's gates (an office device pulls every checkpoint's isolations): someone must go and see.
 * Also where the office starts an isolation for one of its gates.
 */
export function IsolationWatch() {
  const { db, t, config } = useSession();
  const isolations = useLive(() => readIsolations(db), [db]);
  // Drawn again every minute (a cutoff passes) and on every change; each drawing reads the clock.
  useNow(60_000);
  const now = Date.now();
  const rules = isolationRules(config.rules);
  const quiet = (isolations ?? []).filter(
    (isolation) => !isolation.end && missedTwoDaysRunning(isolation, now, rules),
  );
  return (
    <section>
      <h2>{t('watch.title')}</h2>
      {quiet.length === 0 ? (
        <p>{t('watch.none')}</p>
      ) : (
        <ul class="isolation-list">
          {quiet.map((isolation) => (
            <li key={isolation.start.id}>
              <strong>{isolation.start.data.address}</strong>{' '}
              {t('watch.line', {
                checkpoint: isolation.start.data.responsible.checkpointId,
                name: maskName(isolation.start.data.members[0]?.name ?? ''),
                days: missedDays(isolation, now, rules).length,
              })}{' '}
              <a class="button" href={`tel:${isolation.start.data.phone}`}>
                {t('isolation.call', { phone: maskMobile(isolation.start.data.phone) })}
              </a>
            </li>
          ))}
        </ul>
      )}
      <a class="button" href="#/isolation/new">
        {t('isolation.new')}
      </a>
    </section>
  );
}
