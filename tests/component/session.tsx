import { render } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { type Session, SessionContext } from '../../src/app/session';
import { KadianDB } from '../../src/db/database';
import type { DeviceConfig } from '../../src/domain/config';
import { type Lang, translator } from '../../src/i18n';
import { I18nContext } from '../../src/ui/i18n';
import { deviceConfig } from '../fixtures/device-config';

export const testConfig = deviceConfig;

/** Renders a screen of a provisioned device over a fresh database. */
export function renderInSession(
  ui: ComponentChildren,
  options: { lang?: Lang; config?: DeviceConfig } = {},
) {
  const db = new KadianDB(`component-${crypto.randomUUID()}`);
  const lang = options.lang ?? 'zh-CN';
  let config = options.config ?? testConfig;
  const session = (): Session => ({
    db,
    config,
    t: translator(lang),
    lang,
    setLang: () => {},
    setConfig: (next) => {
      config = next;
    },
  });
  const wrap = (children: ComponentChildren) => (
    <I18nContext.Provider value={translator(lang)}>
      <SessionContext.Provider value={session()}>{children}</SessionContext.Provider>
    </I18nContext.Provider>
  );
  const view = render(wrap(ui));
  return {
    db,
    ...view,
    rerenderInSession: () => view.rerender(wrap(ui)),
    currentConfig: () => config,
  };
}

/** All stored records, oldest first, as sent on the wire. */
export async function storedRecords(db: KadianDB) {
  return (await db.records.orderBy('[checkpointId+day+recordedAt]').toArray()).map(
    (stored) => stored.record,
  );
}
