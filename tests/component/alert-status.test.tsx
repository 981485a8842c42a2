import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { DEFAULT_SYNC, type DeviceConfig } from '../../src/domain/config';
import { renderInSession, storedRecords, testConfig } from './session';

const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
const T0 = new Date('2026-12-04T09:00:00');

function gateWith(adapter: 'native' | 'plain', roster: DeviceConfig['roster'] = []) {
  const config: DeviceConfig = {
    ...testConfig,
    roster,
    rules: { ...testConfig.rules, dutySms: '13900139000' },
    sync: { ...DEFAULT_SYNC, endpoint: 'https://report.example.cn/api/v1', adapter },
  };
  return renderInSession(<GateScreen />, { config });
}

let current: ReturnType<typeof gateWith>;

/** A fever taken at the gate: the alert takes over the screen. */
async function fever() {
  tap('无证人员测温');
  for (const key of ['3', '8', '6']) tap(key);
  tap('保存 38.6 °C');
  await screen.findByRole('alert');
  const [record] = await storedRecords(current.db);
  return record;
}

afterEach(() => vi.useRealTimers());

describe('the gate’s fever alert, as the receiver answers', () => {
  it('goes from saved to delivered, taken and closed, as the receiver says', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    current = gateWith('native');
    const record = await fever();
    const id = record?.id ?? '';
    expect((await screen.findByText(/^警报：/)).textContent).toBe(
      '警报：09:00 已存本机，正在送往值班…',
    );
    await current.db.express.update(id, { deliveredAt: T0.getTime() + 3000 });
    await screen.findByText('警报：09:00 已送达，等值班人员接手');
    await current.db.alerts.put({
      id,
      checkpointId: 'lj-03',
      receivedAt: T0.getTime() + 3000,
      taken: { by: '王值班', at: T0.getTime() + 90_000 },
    });
    await screen.findByText('警报：王值班 09:01 已接手');
    await current.db.alerts.put({
      id,
      checkpointId: 'lj-03',
      receivedAt: T0.getTime() + 3000,
      taken: { by: '王值班', at: T0.getTime() + 90_000 },
      closed: { by: '王值班', at: T0.getTime() + 600_000, outcome: 'referred' },
    });
    await screen.findByText('警报：王值班 09:10 结束（已送发热门诊）');
    expect(screen.queryByRole('link', { name: /发短信/ })).toBeNull();
  });

  it('offers an SMS to the duty number once a minute has passed with nothing confirmed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    current = gateWith('native');
    const record = await fever();
    tap('已送发热门诊');
    await screen.findByText('已记录：送发热门诊');
    expect(screen.queryByRole('link', { name: /发短信/ })).toBeNull();
    vi.setSystemTime(T0.getTime() + 61_000);
    const sms = await screen.findByRole(
      'link',
      { name: '发短信给值班 13900139000' },
      { timeout: 3000 },
    );
    expect(sms.getAttribute('href')).toBe(
      `sms:13900139000?body=${encodeURIComponent('【卡点发热】龙阳小区北门 09:00 38.6°C 无证人员。已做：送发热门诊。请速处置。')}`,
    );
    // Delivered: the receiver has it, the SMS is no longer offered.
    await current.db.express.update(record?.id ?? '', { deliveredAt: T0.getTime() + 62_000 });
    await waitFor(() => expect(screen.queryByRole('link', { name: /发短信/ })).toBeNull());
  });

  it('offers it after that minute even when delivered, where the endpoint cannot say who took it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    current = gateWith('plain');
    const record = await fever();
    await current.db.express.update(record?.id ?? '', { deliveredAt: T0.getTime() + 2000 });
    await screen.findByText('警报：09:00 已送达，等值班人员接手');
    vi.setSystemTime(T0.getTime() + 61_000);
    expect(
      await screen.findByRole('link', { name: '发短信给值班 13900139000' }, { timeout: 3000 }),
    ).toBeTruthy();
  });

  it('sends it to whoever the office’s roster has on duty now', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    current = gateWith('native', [
      {
        name: '王值班',
        phone: '13700137000',
        from: T0.getTime() - 60_000,
        to: T0.getTime() + 3600_000,
      },
    ]);
    await fever();
    vi.setSystemTime(T0.getTime() + 61_000);
    const sms = await screen.findByRole(
      'link',
      { name: '发短信给值班 王值班 13700137000' },
      { timeout: 3000 },
    );
    expect(sms.getAttribute('href')?.startsWith('sms:13700137000?body=')).toBe(true);
  });
});
