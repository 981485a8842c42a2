import { useState } from 'preact/hooks';
import type { FieldIssue } from '../domain/issues';
import {
  keypadInput,
  parseCelsius,
  TEMPERATURE_METHODS,
  type TemperatureMethod,
} from '../domain/temperature';
import { IssueSummary } from './fields';
import { useT } from './i18n';

/** Readings one tap away: most people at a gate read between 36.0 and 37.2. */
export const QUICK_READINGS = ['36.0', '36.2', '36.4', '36.5', '36.6', '36.8', '37.0', '37.2'];
// Four to a row like the readings above them: the whole pad fits under a verdict at 360×640.
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '⌫'];

interface TemperaturePadProps {
  /** Said above the pad when the verdict above does not already say who is measured. */
  heading?: string;
  method: TemperatureMethod;
  onMethod: (method: TemperatureMethod) => void;
  onSave: (celsius: number) => void;
  issues: FieldIssue[];
  busy?: boolean;
}

/**
 * A keypad sized for gloved fingers: tap a common reading, or type three digits (the decimal point
 * is implied), then save. Scan → reading → save is two taps, with nothing to scroll.
 */
export function TemperaturePad({
  heading,
  method,
  onMethod,
  onSave,
  issues,
  busy,
}: TemperaturePadProps) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const celsius = parseCelsius(typed);
  return (
    <section class="temperature" aria-label={t('temp.title')}>
      {heading && <h2>{heading}</h2>}
      <fieldset class="chips">
        <legend class="visually-hidden">{t('field.method')}</legend>
        {TEMPERATURE_METHODS.map((option) => (
          <button
            type="button"
            key={option}
            aria-pressed={option === method}
            onClick={() => onMethod(option)}
          >
            {t(`method.${option}`)}
          </button>
        ))}
      </fieldset>
      <div class="temperature__row">
        <output class="temperature__display" aria-label={t('temp.display')} aria-live="polite">
          {typed === '' ? '--.-' : typed} °C
        </output>
        <button
          type="button"
          class="primary"
          disabled={celsius === null || busy}
          onClick={() => celsius !== null && onSave(celsius)}
        >
          {celsius === null
            ? t('common.save')
            : t('temp.saveValue', { celsius: celsius.toFixed(1) })}
        </button>
      </div>
      <fieldset class="pad quick">
        <legend class="visually-hidden">{t('temp.quick')}</legend>
        {QUICK_READINGS.map((reading) => (
          <button
            type="button"
            key={reading}
            aria-pressed={typed === reading}
            onClick={() => setTyped(reading)}
          >
            {reading}
          </button>
        ))}
      </fieldset>
      <fieldset class="pad keypad">
        <legend class="visually-hidden">{t('temp.keypad')}</legend>
        {KEYS.map((key) => (
          <button
            type="button"
            key={key}
            aria-label={key === '⌫' ? t('common.back') : undefined}
            onClick={() => setTyped((current) => keypadInput(current, key))}
          >
            {key}
          </button>
        ))}
      </fieldset>
      <IssueSummary issues={issues} />
    </section>
  );
}
