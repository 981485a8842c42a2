import type { Hotline } from '../domain/config';
import type { FEVER_ACTIONS } from '../domain/records';
import { useT } from './i18n';

type FeverAction = (typeof FEVER_ACTIONS)[number];

interface FeverAlertProps {
  celsius: number;
  hotlines: Hotline[];
  done: FeverAction[];
  onAction: (action: Exclude<FeverAction, 'cleared'>) => void;
}

/** The red alert after a fever reading: what to do next, and the hotlines to call. */
export function FeverAlert({ celsius, hotlines, done, onAction }: FeverAlertProps) {
  const t = useT();
  return (
    <section class="fever" role="alert">
      <h2>{t('fever.title', { celsius: celsius.toFixed(1) })}</h2>
      <p>{t('fever.body')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => onAction('re-measured')}>
          {t('fever.remeasure')}
        </button>
        {(['referred', 'isolated'] as const).map((action) => (
          <button
            type="button"
            key={action}
            disabled={done.includes(action)}
            onClick={() => onAction(action)}
          >
            {t(`fever.${action}`)}
          </button>
        ))}
      </div>
      {hotlines.length === 0 ? (
        <p>{t('fever.noHotline')}</p>
      ) : (
        <ul class="hotlines">
          {hotlines.map((hotline) => (
            <li key={hotline.number}>
              <a class="button" href={`tel:${hotline.number}`}>
                {t('fever.call', { label: hotline.label, number: hotline.number })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {done.length > 0 && (
        <p class="fever__done">
          {done
            .map((action) => t('fever.recorded', { action: t(`followUp.${action}`) }))
            .join('；')}
        </p>
      )}
    </section>
  );
}
