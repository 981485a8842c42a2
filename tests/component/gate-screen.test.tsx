import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { KadianDB } from '../../src/db/database';
import { readMeta } from '../../src/db/settings';
import { Verdict } from '../../src/ui/verdict';
import { kd1 } from '../fixtures/passes';
import { appWithFever, renderInSession, storedRecords } from './session';

const FIELD = '通行证码（扫码枪 / 手输）';
const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
function submit(code: string) {
  const field = screen.getByLabelText(FIELD);
  fireEvent.input(field, { target: { value: code } });
  fireEvent.submit(field.closest('form') as HTMLFormElement);
}

afterEach(() => vi.useRealTimers());

describe('GateScreen, as a volunteer uses it', () => {
  it('offers a temperature on the way out and records it against the pass, not as a person without one', async () => {
    const { db } = renderInSession(<GateScreen />);
    tap('出');
    submit(kd1('a1b2c3d4-000300', 'hh-0300'));
    await screen.findByText('无法核验 · 出');
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
    tap('测体温');
    tap('36.6');
    tap('保存 36.6 °C');
    await screen.findByText('已记录 36.6 °C');
    // Measured once: not offered again for this passage.
    expect(screen.queryByRole('button', { name: '测体温' })).toBeNull();
    const [, reading] = await storedRecords(db);
    expect(reading?.data).toEqual({
      subject: { type: 'pass', ref: 'a1b2c3d4-000300' },
      celsius: 36.6,
      method: 'forehead',
      fever: false,
    });
  });

  it('says how old a verdict is once it is no longer fresh, and keeps counting', async () => {
    const scan = { direction: 'in', verdict: 'allowed', passId: 'a1b2c3d4-000301' } as const;
    const pass = { addr: '3栋2单元501', na: Date.UTC(2026, 11, 31) / 1000 };
    const { rerenderInSession } = renderInSession(
      <Verdict scan={scan} recordId="r1" at={Date.now()} pass={pass} />,
    );
    expect(document.querySelector('.verdict')?.className).toBe('verdict verdict--allowed');
    rerenderInSession(<Verdict scan={scan} recordId="r2" at={Date.now() - 125_000} pass={pass} />);
    expect(screen.getByText('这是 2 分钟前的结果')).toBeTruthy();
    // Its clock ticks: 9.5 s old now, said as 10 s within the second.
    rerenderInSession(<Verdict scan={scan} recordId="r3" at={Date.now() - 9_500} pass={pass} />);
    expect(await screen.findByText('这是 10 秒前的结果')).toBeTruthy();
    expect(document.querySelector('.verdict')?.className).toBe(
      'verdict verdict--allowed verdict--old',
    );
  });

  it('gives the code field focus after a person only once a barcode scanner has typed in it', async () => {
    const { db } = renderInSession(<GateScreen />);
    const field = () => screen.getByLabelText(FIELD) as HTMLInputElement;
    // Typed at a person's pace (a paste, here): no focus taken after the temperature.
    submit(kd1('a1b2c3d4-000302', 'hh-0302'));
    tap(await screen.findByRole('button', { name: '36.5' }).then(() => '36.5'));
    tap('保存 36.5 °C');
    await screen.findByText('已记录 36.5 °C');
    expect(document.activeElement).not.toBe(field());
    expect(await readMeta(db, 'hardwareScanner')).toBeUndefined();
    // A scanner types a code a key every 5 ms.
    const code = kd1('a1b2c3d4-000303', 'hh-0303');
    const now = vi.spyOn(performance, 'now');
    for (let i = 1; i <= code.length; i++) {
      now.mockReturnValue(1000 + i * 5);
      fireEvent.input(field(), { target: { value: code.slice(0, i) } });
    }
    now.mockRestore();
    fireEvent.submit(field().closest('form') as HTMLFormElement);
    await screen.findByRole('button', { name: '36.5' });
    await waitFor(async () => expect(await readMeta(db, 'hardwareScanner')).toBe(true));
    tap('36.5');
    tap('保存 36.5 °C');
    await waitFor(() => expect(document.activeElement).toBe(field()));
  });
});

describe('a fever not yet handled', () => {
  it('stays as a bar on every screen after "later", opens the alert again, and goes once a referral is recorded', async () => {
    const alert = await appWithFever();
    expect(alert.querySelector('h2')?.textContent).toBe('发热！38.6 °C');
    tap('稍后处置');
    const bar = await screen.findByRole('button', { name: '1 人发热待处置' });
    expect(screen.queryByRole('alert')).toBeNull();
    // Another screen: the bar is still there.
    fireEvent.click(screen.getByRole('link', { name: '访客' }));
    fireEvent.click(await screen.findByRole('button', { name: '1 人发热待处置' }));
    expect(bar).toBeTruthy();
    const again = await screen.findByRole('alert');
    expect(again.querySelector('h2')?.textContent).toBe('发热！38.6 °C');
    fireEvent.click(within(again).getByRole('button', { name: '已送发热门诊' }));
    await screen.findByText('已记录：送发热门诊');
    tap('下一位');
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: '1 人发热待处置' })).toBeNull(),
    );
    const opened = new KadianDB();
    const records = await storedRecords(opened);
    opened.close();
    expect(records.map((record) => [record.kind, record.data])).toEqual([
      [
        'temperature',
        { subject: { type: 'person' }, celsius: 38.6, method: 'forehead', fever: true },
      ],
      ['fever-follow-up', { temperatureId: records[0]?.id, action: 'referred' }],
    ]);
  });
});
