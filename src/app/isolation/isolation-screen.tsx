import { readIsolations } from '../../db/isolations';
import { localDay } from '../../domain/day';
import {
  dayNumber,
  type Isolation,
  type IsolationState,
  isolationRules,
  isolationState,
  lastDay,
  missedDays,
} from '../../domain/isolation';
import { maskMobile } from '../../domain/phone';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { useNow } from '../use-now';
import { useHashParts } from '../use-route';
import { Household } from './household';
import { StartForm } from './start-form';

/** The list's order: still to check in, missed (a door to knock on), to release, done. */
const ORDER: Exclude<IsolationState, 'ended'>[] = ['due', 'missed', 'release-due', 'done'];

/**
 * Home isolation at this checkpoint: the households it follows, those to check in now first and
 * nobody forgotten; a household's page (check-in, ledger, extension, release); a new isolation.
 */
export function IsolationScreen() {
  const { db, config } = useSession();
  const [, page, id] = useHashParts();
  const isolations = useLive(
    () => readIsolations(db, config.checkpoint.id),
    [db, config.checkpoint.id],
  );
  if (page === 'new') return <StartForm feverId={id} />;
  if (!isolations) return <section class="screen" />;
  const opened = page && isolations.find((isolation) => isolation.start.id === page);
  if (opened) return <Household isolation={opened} />;
  return <IsolationList isolations={isolations} />;
}

function IsolationList({ isolations }: { isolations: Isolation[] }) {
  const { t, config } = useSession();
  // Drawn again every minute (a cutoff passes) and on every change; each drawing reads the clock.
  useNow(60_000);
  const now = Date.now();
  const rules = isolationRules(config.rules);
  const states = isolations
    .map((isolation) => ({ isolation, state: isolationState(isolation, now, rules) }))
    .filter(({ state }) => state !== 'ended');
  return (
    <section class="screen isolation">
      <h1>{t('isolation.title')}</h1>
      <p>
        {t('isolation.summary', {
          count: states.length,
          cutoff: rules.cutoff,
          times: rules.checkInsPerDay,
        })}
      </p>
      {states.length === 0 && <p>{t('isolation.none')}</p>}
      {ORDER.map((state) => {
        const listed = states.filter((entry) => entry.state === state);
        if (listed.length === 0) return null;
        return (
          <div key={state} class={`isolation-group isolation-group--${state}`}>
            <h2>
              {t(`isolation.state.${state}`)} · {listed.length}
            </h2>
            <ul class="isolation-list">
              {listed.map(({ isolation }) => (
                <HouseholdLine
                  key={isolation.start.id}
                  isolation={isolation}
                  state={state}
                  now={now}
                />
              ))}
            </ul>
          </div>
        );
      })}
      <a class="button primary" href="#/isolation/new">
        {t('isolation.new')}
      </a>
    </section>
  );
}

function HouseholdLine({
  isolation,
  state,
  now,
}: {
  isolation: Isolation;
  state: IsolationState;
  now: number;
}) {
  const { t, config } = useSession();
  const { address, members, phone } = isolation.start.data;
  const today = localDay(now);
  const missed = missedDays(isolation, now, isolationRules(config.rules)).length;
  return (
    <li>
      <a class="isolation-line" href={`#/isolation/${isolation.start.id}`}>
        <strong>{address}</strong>
        <span>
          {t('isolation.line', {
            people: members.length,
            day: dayNumber(isolation, today),
            // Its hyphens unbreakable: a date is never split over two lines.
            last: lastDay(isolation).replaceAll('-', '\u2011'),
          })}
          {missed > 0 && ` · ${t('isolation.missedDays', { count: missed })}`}
        </span>
      </a>
      {state === 'missed' && (
        <p class="isolation-knock">
          {t('isolation.knock')}{' '}
          <a class="button" href={`tel:${phone}`}>
            {t('isolation.call', { phone: maskMobile(phone) })}
          </a>
        </p>
      )}
    </li>
  );
}
