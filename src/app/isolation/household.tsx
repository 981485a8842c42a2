import { useState } from 'preact/hooks';
import { localDay } from '../../domain/day';
import {
  dayNumber,
  type Isolation,
  isolationRules,
  isolationState,
  lastDay,
} from '../../domain/isolation';
import { maskMobile } from '../../domain/phone';
import { useSession } from '../session';
import { useNow } from '../use-now';
import { CheckInForm } from './check-in-form';
import { EndForm, ExtendForm } from './end-forms';
import { Ledger } from './ledger';

type View = 'check-in' | 'ledger' | 'extend' | 'end';

/** One household in isolation: who, which day, the call button, and what can be done today. */
export function Household({ isolation }: { isolation: Isolation }) {
  const { t, config } = useSession();
  // Drawn again every minute (a cutoff passes) and on every change; each drawing reads the clock.
  useNow(60_000);
  const now = Date.now();
  const state = isolationState(isolation, now, isolationRules(config.rules));
  const [view, setView] = useState<View>(state === 'release-due' ? 'end' : 'check-in');
  const { address, members, phone, reason } = isolation.start.data;
  const views: View[] = state === 'ended' ? ['ledger'] : ['check-in', 'ledger', 'extend', 'end'];
  const shown = views.includes(view) ? view : 'ledger';
  return (
    <section class="screen isolation">
      <p>
        <a href="#/isolation">{t('isolation.back')}</a>
      </p>
      <h1>{address}</h1>
      <p>
        {t('isolation.day', {
          day: dayNumber(isolation, localDay(now)),
          last: lastDay(isolation),
        })}{' '}
        · <strong>{t(`isolation.state.${state}`)}</strong>
      </p>
      <p>
        {members.map((member) => member.name).join('、')} · {reason}
      </p>
      {state !== 'ended' && (
        <a class="button" href={`tel:${phone}`}>
          {t('isolation.call', { phone: maskMobile(phone) })}
        </a>
      )}
      <fieldset class="chips">
        <legend class="visually-hidden">{address}</legend>
        {views.map((name) => (
          <button
            type="button"
            key={name}
            aria-pressed={shown === name}
            onClick={() => setView(name)}
          >
            {t(`isolation.view.${name}`)}
          </button>
        ))}
      </fieldset>
      {shown === 'check-in' && <CheckInForm isolation={isolation} />}
      {shown === 'ledger' && <Ledger isolation={isolation} />}
      {shown === 'extend' && <ExtendForm isolation={isolation} />}
      {shown === 'end' && <EndForm isolation={isolation} />}
    </section>
  );
}
