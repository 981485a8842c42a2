import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { renderInSession, storedRecords } from './session';

const camera = vi.hoisted(() => ({ problem: 'denied' }));
vi.mock('../../src/scan/camera', () => ({
  startCamera: vi.fn(async () => {
    throw Object.assign(new Error('camera'), { problem: camera.problem });
  }),
  decodeImageFile: vi.fn(async () => null),
}));

// jsdom's navigator has neither; give it the one the test needs, and take it away after.
function provide(name: 'wakeLock' | 'vibrate', value: unknown) {
  Object.defineProperty(navigator, name, { value, configurable: true });
}
afterEach(() => {
  Reflect.deleteProperty(navigator, 'wakeLock');
  Reflect.deleteProperty(navigator, 'vibrate');
});

describe('GateScreen and the device', () => {
  it.each([
    ['denied', '没有摄像头权限。请在浏览器设置里允许使用摄像头，或用下面的输入框、扫码枪。'],
    ['missing', '没有找到摄像头。请用下面的输入框或扫码枪。'],
    ['busy', '摄像头正被其他应用占用。请关闭其他应用后重试，或用下面的输入框。'],
    ['failed', '摄像头打不开。请用下面的输入框或扫码枪。'],
  ])(
    'says plainly when the camera is %s, and the code field still works',
    async (problem, message) => {
      camera.problem = problem;
      const { db } = renderInSession(<GateScreen />);
      fireEvent.click(screen.getByRole('button', { name: '打开摄像头扫码' }));
      expect((await screen.findByRole('alert')).textContent).toBe(message);
      const field = screen.getByLabelText('通行证码（扫码枪 / 手输）');
      fireEvent.input(field, { target: { value: 'not a pass' } });
      fireEvent.submit(field.closest('form') as HTMLFormElement);
      await screen.findByText('禁止通行 · 进');
      expect((await storedRecords(db)).length).toBe(1);
    },
  );

  it('says so when a photo holds no QR code', async () => {
    renderInSession(<GateScreen />);
    const photo = screen.getByLabelText('从照片识别');
    fireEvent.change(photo, {
      target: { files: [new File(['x'], 'gate.jpg', { type: 'image/jpeg' })] },
    });
    expect(await screen.findByText('照片里没有找到二维码，请重拍。')).toBeTruthy();
  });

  it('keeps the screen awake while the gate is open, and lets it sleep after', async () => {
    const release = vi.fn(async () => {});
    const request = vi.fn(async () => ({ release }));
    provide('wakeLock', { request });
    const { unmount } = renderInSession(<GateScreen />);
    await waitFor(() => expect(request).toHaveBeenCalledWith('screen'));
    unmount();
    await waitFor(() => expect(release).toHaveBeenCalledOnce());
  });

  it('vibrates a long pattern for a denial and a short one for a saved reading', async () => {
    const vibrate = vi.fn(() => true);
    provide('vibrate', vibrate);
    renderInSession(<GateScreen />);
    const field = screen.getByLabelText('通行证码（扫码枪 / 手输）');
    fireEvent.input(field, { target: { value: 'not a pass' } });
    fireEvent.submit(field.closest('form') as HTMLFormElement);
    await waitFor(() => expect(vibrate).toHaveBeenLastCalledWith([300, 120, 300, 120, 300]));
    fireEvent.click(screen.getByRole('button', { name: '无证人员测温' }));
    fireEvent.click(screen.getByRole('button', { name: '36.6' }));
    fireEvent.click(screen.getByRole('button', { name: '保存 36.6 °C' }));
    await waitFor(() => expect(vibrate).toHaveBeenLastCalledWith([80]));
  });
});
