import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GateScreen } from '../../src/app/gate/gate-screen';
import { readMeta } from '../../src/db/settings';
import { kd1 } from '../fixtures/passes';
import { renderInSession } from './session';

// A phone's cameras as the scanner module reports them: the back one has a light, the front none.
const phone = vi.hoisted(() => ({
  cameras: [
    { id: 'back', label: '后置摄像头' },
    { id: 'front', label: '前置摄像头' },
  ],
  started: [] as (string | undefined)[],
  /** Resolves when the camera may finish starting (a slow camera holds it). */
  ready: Promise.resolve(),
  stopped: [] as string[],
  light: [] as boolean[],
  paused: [] as boolean[],
  frame: (_text: string) => {},
}));
vi.mock('../../src/scan/camera', () => ({
  startCamera: vi.fn(
    async (_element: string, onDecoded: (text: string) => void, cameraId?: string) => {
      const id = cameraId ?? 'back';
      phone.started.push(cameraId);
      phone.frame = onDecoded;
      await phone.ready;
      return {
        cameras: phone.cameras,
        cameraId: id,
        stop: async () => {
          phone.stopped.push(id);
        },
        pause: (paused: boolean) => {
          phone.paused.push(paused);
        },
        ...(id === 'back' && {
          torch: async (on: boolean) => {
            phone.light.push(on);
          },
        }),
      };
    },
  ),
  decodeImageFile: vi.fn(async () => null),
}));

beforeEach(() => {
  phone.cameras = [
    { id: 'back', label: '后置摄像头' },
    { id: 'front', label: '前置摄像头' },
  ];
  phone.started = [];
  phone.stopped = [];
  phone.light = [];
  phone.paused = [];
  phone.ready = Promise.resolve();
});

const startCamera = () => fireEvent.click(screen.getByRole('button', { name: '打开摄像头扫码' }));

describe('the gate camera’s tools', () => {
  it('turns the light on and off where the camera has one, and says which it is', async () => {
    renderInSession(<GateScreen />);
    startCamera();
    const light = await screen.findByRole('button', { name: '补光' });
    expect(light.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(light);
    await waitFor(() => expect(light.getAttribute('aria-pressed')).toBe('true'));
    fireEvent.click(light);
    await waitFor(() => expect(light.getAttribute('aria-pressed')).toBe('false'));
    expect(phone.light).toEqual([true, false]);
  });

  it('switches to the next camera, stopping the one before, and remembers the choice', async () => {
    const { db, unmount } = renderInSession(<GateScreen />);
    startCamera();
    fireEvent.click(await screen.findByRole('button', { name: '换摄像头' }));
    await waitFor(() => expect(phone.started).toEqual([undefined, 'front']));
    expect(phone.stopped).toEqual(['back']);
    expect(await readMeta(db, 'cameraId')).toBe('front');
    // The front camera has no light: no button for one.
    await screen.findByRole('button', { name: '关闭摄像头' });
    expect(screen.queryByRole('button', { name: '补光' })).toBeNull();
    // Turned off and on again (as after a reload), the camera chosen last starts.
    fireEvent.click(screen.getByRole('button', { name: '关闭摄像头' }));
    startCamera();
    await waitFor(() => expect(phone.started).toEqual([undefined, 'front', 'front']));
    await screen.findByRole('button', { name: '关闭摄像头' });
    unmount();
    expect(phone.stopped).toEqual(['back', 'front', 'front']);
  });

  it('stops a camera still starting when the volunteer leaves the gate', async () => {
    let ready = () => {};
    phone.ready = new Promise((resolve) => {
      ready = resolve;
    });
    const { unmount } = renderInSession(<GateScreen />);
    startCamera();
    await waitFor(() => expect(phone.started).toEqual([undefined]));
    unmount();
    ready();
    await waitFor(() => expect(phone.stopped).toEqual(['back']));
  });

  it('decodes nothing while a temperature is taken, and again once it is saved', async () => {
    renderInSession(<GateScreen />);
    startCamera();
    await screen.findByRole('button', { name: '关闭摄像头' });
    await waitFor(() => expect(phone.paused).toEqual([false]));
    phone.frame(kd1('a1b2c3d4-000301', 'hh-0301'));
    fireEvent.click(await screen.findByRole('button', { name: '36.5' }));
    await waitFor(() => expect(phone.paused).toEqual([false, true]));
    fireEvent.click(screen.getByRole('button', { name: '保存 36.5 °C' }));
    await waitFor(() => expect(phone.paused).toEqual([false, true, false]));
  });

  it('releases the camera when the app is hidden', async () => {
    renderInSession(<GateScreen />);
    startCamera();
    await screen.findByRole('button', { name: '关闭摄像头' });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Reflect.deleteProperty(document, 'hidden');
    await waitFor(() => expect(phone.stopped).toEqual(['back']));
    expect(await screen.findByRole('button', { name: '打开摄像头扫码' })).toBeTruthy();
  });

  it('offers no switch on a phone with one camera', async () => {
    phone.cameras = [{ id: 'back', label: '后置摄像头' }];
    renderInSession(<GateScreen />);
    startCamera();
    await screen.findByRole('button', { name: '补光' });
    expect(screen.queryByRole('button', { name: '换摄像头' })).toBeNull();
  });
});
