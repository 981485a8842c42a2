import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { kd1 } from '../fixtures/passes';
import { renderInSession, storedRecords } from './session';

async function scan(text: string) {
  fireEvent.input(screen.getByLabelText('通行证码（扫码枪 / 手输）'), {
    target: { value: text },
  });
  fireEvent.submit(
    screen.getByLabelText('通行证码（扫码枪 / 手输）').closest('form') as HTMLFormElement,
  );
}
const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('GateScreen', () => {
  it('records a typed pass code, shows the verdict, then saves a temperature in two taps', async () => {
    const { db } = renderInSession(<GateScreen />);
    await scan(kd1('a1b2c3d4-000123', 'hh-0042'));
    expect(await screen.findByText('无法核验 · 进')).toBeTruthy();
    // Nothing of an unverified card is shown as if it were the card's: no id, no household.
    expect(document.querySelector('.verdict')?.textContent).toBe('?无法核验 · 进请人工查看证件');
    tap('36.5');
    tap('保存 36.5 °C');
    expect(await screen.findByText('已记录 36.5 °C')).toBeTruthy();
    const [scanRecord, reading] = await storedRecords(db);
    expect(scanRecord?.data).toEqual({
      passId: 'a1b2c3d4-000123',
      householdId: 'hh-0042',
      direction: 'in',
      verdict: 'unverified',
    });
    expect(reading?.data).toEqual({
      subject: { type: 'pass', ref: 'a1b2c3d4-000123' },
      celsius: 36.5,
      method: 'forehead',
      fever: false,
    });
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
  });

  it('denies an unreadable code and asks for no temperature', async () => {
    const { db } = renderInSession(<GateScreen />);
    await scan('http://example.invalid/not-a-pass');
    expect(await screen.findByText('禁止通行 · 进')).toBeTruthy();
    expect(screen.getByText('无法识别这个码')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
    expect((await storedRecords(db)).map((record) => record.data)).toEqual([
      {
        direction: 'in',
        verdict: 'denied',
        reason: 'unreadable',
        raw: 'http://example.invalid/not-a-pass',
      },
    ]);
  });

  it('asks for no temperature on the way out', async () => {
    renderInSession(<GateScreen />);
    tap('出');
    await scan(kd1('a1b2c3d4-000124', 'hh-0042'));
    expect(await screen.findByText('无法核验 · 出')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
  });

  it('raises the fever alert with the hotlines, and links a re-measurement to the first reading', async () => {
    const { db } = renderInSession(<GateScreen />);
    await scan(kd1('a1b2c3d4-000125', 'hh-0043'));
    await screen.findByRole('button', { name: '36.5' });
    for (const key of ['3', '8', '2']) tap(key);
    tap('保存 38.2 °C');
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('h2')?.textContent).toBe('发热！38.2 °C');
    const call = screen.getByRole('link', { name: '拨打 社区防控办 0736-2891234' });
    expect(call.getAttribute('href')).toBe('tel:0736-2891234');

    tap('复测');
    expect(await screen.findByText('复测（第一次 38.2 °C）')).toBeTruthy();
    tap('37.0');
    tap('保存 37.0 °C');
    expect(await screen.findByText('复测 37.0 °C，体温正常。')).toBeTruthy();
    tap('复测正常，解除');
    await screen.findByText('已记录 37.0 °C');

    const records = await storedRecords(db);
    const [, first, remeasured, second, cleared] = records;
    expect(records.map((record) => record.kind)).toEqual([
      'pass-scan',
      'temperature',
      'fever-follow-up',
      'temperature',
      'fever-follow-up',
    ]);
    expect(first?.data).toMatchObject({ celsius: 38.2, fever: true });
    expect(remeasured?.data).toEqual({ temperatureId: first?.id, action: 're-measured' });
    expect(second?.data).toEqual({
      subject: { type: 'pass', ref: 'a1b2c3d4-000125' },
      celsius: 37,
      method: 'forehead',
      fever: false,
      remeasureOf: first?.id,
    });
    expect(cleared?.data).toEqual({ temperatureId: first?.id, action: 'cleared' });
    const outbox = await db.outbox.orderBy('[lane+seq]').toArray();
    expect(outbox.map((entry) => entry.recordId)).toEqual([
      first?.id,
      remeasured?.id,
      cleared?.id,
      records[0]?.id,
      second?.id,
    ]);
  });

  it('treats the threshold itself as a fever, records a referral and lets the volunteer move on', async () => {
    const { db } = renderInSession(<GateScreen />);
    tap('无证人员测温');
    for (const key of ['3', '7', '3']) tap(key);
    tap('保存 37.3 °C');
    await screen.findByRole('alert');
    tap('已送发热门诊');
    await waitFor(() =>
      expect(
        (screen.getByRole('button', { name: '已送发热门诊' }) as HTMLButtonElement).disabled,
      ).toBe(true),
    );
    expect(screen.getByText('已记录：送发热门诊')).toBeTruthy();
    tap('下一位');
    expect(screen.queryByRole('alert')).toBeNull();
    const records = await storedRecords(db);
    const [reading, referral] = records;
    expect(records.map((record) => [record.kind, record.data])).toEqual([
      [
        'temperature',
        { subject: { type: 'person' }, celsius: 37.3, method: 'forehead', fever: true },
      ],
      ['fever-follow-up', { temperatureId: reading?.id, action: 'referred' }],
    ]);
    expect(referral?.recordedAt).toBeGreaterThanOrEqual(
      reading?.recordedAt ?? Number.POSITIVE_INFINITY,
    );
  });
});
