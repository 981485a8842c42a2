import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { saveRecord } from '../../src/db/records';
import { deviceConfig } from '../fixtures/device-config';
import { CAMERA_PASS_TEXT, kd1, officePass } from '../fixtures/passes';
import { renderInSession, storedRecords } from './session';

// A camera whose frames the test plays: each call is one decoded frame.
const camera = vi.hoisted(() => ({ frame: (_text: string) => {} }));
vi.mock('../../src/scan/camera', () => ({
  startCamera: vi.fn(async (_element: string, onDecoded: (text: string) => void) => {
    camera.frame = onDecoded;
    return { stop: async () => {}, pause: () => {}, cameras: [] };
  }),
  decodeImageFile: vi.fn(async () => null),
}));

const FIELD = '通行证码（扫码枪 / 手输）';
function submit(code: string) {
  const field = screen.getByLabelText(FIELD);
  fireEvent.input(field, { target: { value: code } });
  fireEvent.submit(field.closest('form') as HTMLFormElement);
}
const verdicts = async (db: Parameters<typeof storedRecords>[0]) =>
  (await storedRecords(db))
    .filter((record) => record.kind === 'pass-scan')
    .map((record) => {
      const data = record.data as { verdict: string; reason?: string; direction: string };
      return [data.direction, data.verdict, data.reason];
    });
async function takeTemperature() {
  fireEvent.click(await screen.findByRole('button', { name: '36.5' }));
  fireEvent.click(screen.getByRole('button', { name: '保存 36.5 °C' }));
  await screen.findByText('已记录 36.5 °C');
}
const at = (time: string) => new Date(`2026-11-29T${time}`);

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: at('10:00:00') }));
afterEach(() => vi.useRealTimers());

describe('GateScreen: one person, one decision', () => {
  it('lets one of two fast submits of a pass through and refuses the other as a duplicate', async () => {
    const { issuer, text } = await officePass();
    const { db } = renderInSession(<GateScreen />, {
      config: { ...deviceConfig, issuerKeys: [issuer.publicKey] },
    });
    submit(text);
    submit(text);
    await waitFor(async () => expect(await db.records.count()).toBe(2));
    expect(await verdicts(db)).toEqual([
      ['in', 'allowed', undefined],
      ['in', 'denied', 'duplicate'],
    ]);
  });

  it('refuses an unverified pass seen again within the duplicate window on a device without keys', async () => {
    const { db } = renderInSession(<GateScreen />);
    submit(CAMERA_PASS_TEXT);
    await screen.findByText('无法核验 · 进');
    fireEvent.click(screen.getByRole('button', { name: '跳过测温' }));
    vi.setSystemTime(at('10:00:29'));
    submit(CAMERA_PASS_TEXT);
    await screen.findByText('刚刚已扫过这张证');
    vi.setSystemTime(at('10:01:00'));
    submit(CAMERA_PASS_TEXT);
    await waitFor(async () => expect(await db.records.count()).toBe(3));
    expect(await verdicts(db)).toEqual([
      ['in', 'unverified', undefined],
      ['in', 'denied', 'duplicate'],
      ['in', 'unverified', undefined],
    ]);
  });

  it('does not read a card again while it stays in front of the camera, nor soon after it left', async () => {
    const { db } = renderInSession(<GateScreen />);
    fireEvent.click(screen.getByRole('button', { name: '打开摄像头扫码' }));
    await screen.findByRole('button', { name: '关闭摄像头' });
    camera.frame(CAMERA_PASS_TEXT);
    await takeTemperature();
    // The card stays in view for a minute, one frame a second: the keypad never opens again.
    for (let second = 1; second <= 60; second++) {
      vi.setSystemTime(new Date(at('10:00:00').getTime() + second * 1000));
      camera.frame(CAMERA_PASS_TEXT);
    }
    // Taken away, then shown again 20 s later: still within the 30 s window.
    vi.setSystemTime(at('10:01:20'));
    camera.frame(CAMERA_PASS_TEXT);
    expect(screen.queryByRole('button', { name: '36.5' })).toBeNull();
    expect(await verdicts(db)).toEqual([['in', 'unverified', undefined]]);
    expect((await storedRecords(db)).map((record) => record.kind)).toEqual([
      'pass-scan',
      'temperature',
    ]);
    // Shown after the window: read again, as the next passage.
    vi.setSystemTime(at('10:02:00'));
    camera.frame(CAMERA_PASS_TEXT);
    await screen.findByRole('button', { name: '36.5' });
    expect(await verdicts(db)).toEqual([
      ['in', 'unverified', undefined],
      ['in', 'unverified', undefined],
    ]);
  });

  it('reads a new card shown while a temperature is being taken once the reading is saved', async () => {
    const { db } = renderInSession(<GateScreen />);
    fireEvent.click(screen.getByRole('button', { name: '打开摄像头扫码' }));
    await screen.findByRole('button', { name: '关闭摄像头' });
    camera.frame(CAMERA_PASS_TEXT);
    await screen.findByRole('button', { name: '36.5' });
    const other = kd1('a1b2c3d4-000999', 'hh-0099');
    camera.frame(other);
    await takeTemperature();
    camera.frame(CAMERA_PASS_TEXT);
    camera.frame(other);
    await waitFor(async () => expect(await db.records.count()).toBe(3));
    expect(
      (await storedRecords(db)).map((record) => (record.data as { passId?: string }).passId),
    ).toEqual(['a1b2c3d4-000123', undefined, 'a1b2c3d4-000999']);
  });

  it('keeps the direction the volunteer chose when the gate screen is left and opened again', async () => {
    const { issuer, text } = await officePass();
    const config = {
      ...deviceConfig,
      issuerKeys: [issuer.publicKey],
      rules: { ...deviceConfig.rules, quota: { n: 1, days: 1 } },
    };
    const { db, rerenderInSession } = renderInSession(<GateScreen />, { config });
    fireEvent.click(screen.getByRole('button', { name: '出' }));
    rerenderInSession(<p>今日记录</p>);
    rerenderInSession(<GateScreen />);
    expect(screen.getByRole('button', { name: '出' }).getAttribute('aria-pressed')).toBe('true');
    submit(text);
    await screen.findByText('通过 · 出');
    vi.setSystemTime(at('11:00:00'));
    submit(text);
    await screen.findByText('本户外出次数已用完');
    expect(await verdicts(db)).toEqual([
      ['out', 'allowed', undefined],
      ['out', 'denied', 'quota'],
    ]);
  });

  // A voided passage never happened: not for the household's quota (the second exit comes after
  // the duplicate window), not for the duplicate window (the second entry comes within it).
  it.each([
    ['gives a household its exit back when the exit is voided', 'out', '通过 · 出', '10:00:40'],
    [
      'lets a pass through again at once when its passage was voided',
      'in',
      '通过 · 进',
      '10:00:10',
    ],
  ] as const)('%s', async (_, direction, shown, later) => {
    const { issuer, text } = await officePass();
    const config = {
      ...deviceConfig,
      issuerKeys: [issuer.publicKey],
      rules: { ...deviceConfig.rules, quota: { n: 1, days: 1 } },
    };
    const { db } = renderInSession(<GateScreen />, { config, direction });
    submit(text);
    await screen.findByText(shown);
    const [passage] = await storedRecords(db);
    await saveRecord(db, {
      ...(passage as NonNullable<typeof passage>),
      id: crypto.randomUUID(),
      kind: 'void',
      data: { targetId: passage?.id ?? '', reason: '扫错了' },
    });
    vi.setSystemTime(at(later));
    submit(text);
    await waitFor(async () => expect(await db.records.count()).toBe(3));
    expect(await verdicts(db)).toEqual([
      [direction, 'allowed', undefined],
      [direction, 'allowed', undefined],
    ]);
  });
});
