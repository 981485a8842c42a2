import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { expect } from 'vitest';
import { App } from '../../src/app/app';
import { type Direction, type Session, SessionContext } from '../../src/app/session';
import { KadianDB } from '../../src/db/database';
import { readMeta, saveConfig, writeMeta } from '../../src/db/settings';
import type { DeviceConfig } from '../../src/domain/config';
import { hashPin } from '../../src/domain/secrets';
import { type Lang, translator } from '../../src/i18n';
import { I18nContext } from '../../src/ui/i18n';
import { deviceConfig } from '../fixtures/device-config';

export const testConfig = deviceConfig;

/** Renders a screen of a provisioned device over a fresh database. */
export function renderInSession(
  ui: ComponentChildren,
  options: { lang?: Lang; config?: DeviceConfig; direction?: Direction } = {},
) {
  const db = new KadianDB(`component-${crypto.randomUUID()}`);
  const lang = options.lang ?? 'zh-CN';
  let config = options.config ?? testConfig;
  // The direction is the app's state: kept across screens, as the app keeps it.
  let direction = options.direction ?? 'in';
  function Provider({ children }: { children: ComponentChildren }) {
    const [current, setCurrent] = useState(direction);
    const session: Session = {
      db,
      config,
      t: translator(lang),
      lang,
      setLang: () => {},
      setConfig: (next) => {
        config = next;
      },
      direction: current,
      setDirection: (next) => {
        direction = next;
        setCurrent(next);
      },
    };
    return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  }
  const wrap = (children: ComponentChildren) => (
    <I18nContext.Provider value={translator(lang)}>
      <Provider>{children}</Provider>
    </I18nContext.Provider>
  );
  const view = render(wrap(ui));
  return {
    db,
    ...view,
    rerenderInSession: (next: ComponentChildren = ui) => view.rerender(wrap(next)),
    currentConfig: () => config,
  };
}

/** All stored records, oldest first, as sent on the wire. */
export async function storedRecords(db: KadianDB) {
  return (await db.records.orderBy('[checkpointId+day+recordedAt]').toArray()).map(
    (stored) => stored.record,
  );
}

export const ADMIN_PIN = '135790';
export const GATE_SECRET = '卡口管理口令（社区办公室给的）';

/** Opens the settings screen as the office would: the admin PIN set on the device, then typed. */
export async function unlockSettings(db: KadianDB, pin = ADMIN_PIN) {
  if (!(await readMeta(db, 'adminPin'))) await writeMeta(db, 'adminPin', await hashPin(pin));
  // The gate asks to type the PIN (not to set one) once it has seen the stored one; a device set
  // up by an office's code asks for the office's gate admin secret instead.
  const field = await waitFor(() => {
    expect(screen.queryByLabelText('再输入一次 PIN')).toBeNull();
    const input = screen.queryByLabelText('管理员 PIN') ?? screen.queryByLabelText(GATE_SECRET);
    expect(input).toBeTruthy();
    return input as HTMLElement;
  });
  fireEvent.input(field, { target: { value: pin } });
  fireEvent.click(screen.getByRole('button', { name: '进入' }));
  await screen.findByLabelText('卡点编号');
}

/**
 * The whole app on a provisioned device (the default database), a fever of 38.6 °C taken at the
 * gate: resolves once its alert is on screen.
 */
export async function appWithFever(): Promise<HTMLElement> {
  const db = new KadianDB();
  await saveConfig(db, testConfig);
  await writeMeta(db, 'lastActive', Date.now());
  db.close();
  render(<App secure />);
  await screen.findByRole('heading', { name: '卡口核验' });
  const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
  tap('无证人员测温');
  for (const key of ['3', '8', '6']) tap(key);
  tap('保存 38.6 °C');
  return screen.findByRole('alert');
}
