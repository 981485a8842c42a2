import { fireEvent, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { deviceConfig } from '../fixtures/device-config';
import vectors from '../fixtures/kd1-vectors.json';
import { officePass } from '../fixtures/passes';
import { renderInSession, storedRecords } from './session';

const trusted = vectors.keys.filter((key) => vectors.device.trustedKeys.includes(key.name));
const config = { ...deviceConfig, issuerKeys: trusted.map((key) => key.publicKey) };
const text = (name: string) => vectors.cases.find((testCase) => testCase.name === name)?.text ?? '';
const valid = text('valid, entering');

async function scan(code: string) {
  const field = screen.getByLabelText('通行证码（扫码枪 / 手输）');
  fireEvent.input(field, { target: { value: code } });
  fireEvent.submit(field.closest('form') as HTMLFormElement);
}

beforeEach(() => {
  // The vectors' pass is valid in November and December 2026; the device's clock says so.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-29T10:00:00') });
});
afterEach(() => vi.useRealTimers());

describe('GateScreen with trusted issuer keys', () => {
  it('allows a signed pass and shows its address and validity, then refuses it again at once as a duplicate', async () => {
    const { db } = renderInSession(<GateScreen />, { config });
    await scan(valid);
    expect(await screen.findByText('通过 · 进')).toBeTruthy();
    // na is 2026-12-31T23:59:59Z, which is already 1 January in China.
    expect(screen.getByText('3栋2单元501')).toBeTruthy();
    // Scanned again at once, the temperature not taken (the volunteer skipped it); the verdict,
    // brief beside the pad, says the validity once the pad has gone.
    expect(screen.queryByText('有效至 2027-01-01')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '跳过测温' }));
    expect(screen.getByText('有效至 2027-01-01')).toBeTruthy();
    await scan(valid);
    expect(await screen.findByText('刚刚已扫过这张证')).toBeTruthy();
    const records = await storedRecords(db);
    expect(records.map((record) => record.data)).toEqual([
      { passId: 'eef3eeb7-000123', householdId: 'hh-0042', direction: 'in', verdict: 'allowed' },
      {
        passId: 'eef3eeb7-000123',
        householdId: 'hh-0042',
        direction: 'in',
        verdict: 'denied',
        reason: 'duplicate',
        raw: valid,
      },
    ]);
  });

  it('counts the household’s exits against its quota', async () => {
    const { db } = renderInSession(<GateScreen />, { config });
    fireEvent.click(screen.getByRole('button', { name: '出' }));
    await scan(valid);
    expect(await screen.findByText('通过 · 出')).toBeTruthy();
    vi.setSystemTime(new Date('2026-11-29T11:00:00'));
    await scan(valid);
    expect(await screen.findByText('本户外出次数已用完')).toBeTruthy();
    expect((await storedRecords(db)).map((record) => record.data)).toMatchObject([
      { verdict: 'allowed', direction: 'out' },
      { verdict: 'denied', direction: 'out', reason: 'quota' },
    ]);
  });

  it('applies the checkpoint’s quota to a pass that carries none', async () => {
    const { issuer, text: pass } = await officePass();
    const { db } = renderInSession(<GateScreen />, {
      config: {
        ...deviceConfig,
        issuerKeys: [issuer.publicKey],
        rules: { ...deviceConfig.rules, quota: { n: 1, days: 1 } },
      },
    });
    fireEvent.click(screen.getByRole('button', { name: '出' }));
    await scan(pass);
    expect(await screen.findByText('通过 · 出')).toBeTruthy();
    vi.setSystemTime(new Date('2026-11-30T09:59:59'));
    await scan(pass);
    expect(await screen.findByText('本户外出次数已用完')).toBeTruthy();
    vi.setSystemTime(new Date('2026-11-30T10:00:01'));
    await scan(pass);
    expect(await screen.findAllByText('通过 · 出')).toHaveLength(1);
    expect((await storedRecords(db)).map((record) => record.data)).toMatchObject([
      { verdict: 'allowed', direction: 'out' },
      { verdict: 'denied', direction: 'out', reason: 'quota' },
      { verdict: 'allowed', direction: 'out' },
    ]);
  });

  it('imports the office’s revocation list shown to its scanner, then refuses the revoked pass', async () => {
    const { issuer, payload, text: pass } = await officePass();
    const { issuerSigner } = await import('../../src/app/office/keys');
    const { encodeRevocations } = await import('../../src/domain/revocation-code');
    const [list = ''] = await encodeRevocations(
      [payload.pid],
      { kid: issuer.kid, sign: issuerSigner(issuer) },
      Date.now(),
    );
    const { db } = renderInSession(<GateScreen />, {
      config: { ...deviceConfig, issuerKeys: [issuer.publicKey] },
    });
    await scan(list);
    expect(await screen.findByText('已导入 1 张作废的通行证。')).toBeTruthy();
    expect(await db.records.count()).toBe(0);
    await scan(pass);
    expect(await screen.findByText('通行证已作废（挂失或收回）')).toBeTruthy();
    expect((await storedRecords(db)).map((record) => record.data)).toMatchObject([
      { passId: payload.pid, verdict: 'denied', reason: 'revoked' },
    ]);
  });

  // What the verdict says under its headline: the card's address only where a trusted key signed it.
  it.each([
    ['tampered signature', ['通行证是伪造或被改过的']],
    ['unknown issuer key', ['不是本地发放的通行证']],
    ['wrong checkpoint', ['3栋2单元501', '不是本小区的通行证']],
  ])('refuses a pass with a %s, saying why', async (name, lines) => {
    renderInSession(<GateScreen />, { config });
    await scan(text(name));
    expect(await screen.findByText('禁止通行 · 进')).toBeTruthy();
    const shown = [...document.querySelectorAll('.verdict p')].map((line) => line.textContent);
    expect(shown).toEqual(['禁止通行 · 进', ...lines]);
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
  });

  it('refuses a revoked pass', async () => {
    const { db } = renderInSession(<GateScreen />, { config });
    await db.revocations.put({ passId: 'eef3eeb7-000123', reason: '挂失', revokedAt: Date.now() });
    await scan(valid);
    expect(await screen.findByText('通行证已作废（挂失或收回）')).toBeTruthy();
  });
});
