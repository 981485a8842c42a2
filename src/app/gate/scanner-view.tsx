import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { readMeta, writeMeta } from '../../db/settings';
import type { MessageKey } from '../../i18n';
import type { CameraProblem, CameraScanner } from '../../scan/camera';
import { FailureLine } from '../../ui/notices';
import { useSession } from '../session';

const CAMERA_ELEMENT = 'kd-camera';

export const loadScanner = () => import('../../scan/camera');

/**
 * The gate's camera, drawn by us: the video, an aiming box, the light and a choice of camera
 * (remembered). Nothing of the scanning library's own text or drawing shows. While `folded` (a
 * temperature is being taken) the camera stays on out of sight; while `paused` (that, or a fever
 * alert) it decodes nothing, sparing an old phone's CPU. It is released when the app is hidden.
 */
export function ScannerView({
  onRead,
  folded,
  paused,
}: {
  /** Every text the camera reads, each frame it reads one. */
  onRead: (text: string) => void;
  folded: boolean;
  paused: boolean;
}) {
  const { db, t } = useSession();
  const [state, setState] = useState<'off' | 'starting' | 'on' | CameraProblem>('off');
  const [torchOn, setTorchOn] = useState(false);
  const scanner = useRef<CameraScanner | undefined>(undefined);
  const gone = useRef(false);
  const read = useRef(onRead);
  read.current = onRead;

  async function start(cameraId?: string) {
    setState('starting');
    try {
      const { startCamera } = await loadScanner();
      const chosen = cameraId ?? (await readMeta(db, 'cameraId'));
      const started = await startCamera(CAMERA_ELEMENT, (text) => read.current(text), chosen);
      // The volunteer left the gate while the camera was starting: it must not stay on unseen.
      if (gone.current) return void (await started.stop());
      scanner.current = started;
      setTorchOn(false);
      setState('on');
    } catch (error) {
      setState((error as { problem?: CameraProblem }).problem ?? 'failed');
    }
  }

  async function stop() {
    const running = scanner.current;
    scanner.current = undefined;
    setState('off');
    await running?.stop();
  }

  async function nextCamera() {
    const running = scanner.current;
    if (!running?.cameras.length) return;
    const at = running.cameras.findIndex((camera) => camera.id === running.cameraId);
    const next = running.cameras[(at + 1) % running.cameras.length]?.id;
    if (!next) return;
    await stop();
    await writeMeta(db, 'cameraId', next);
    await start(next);
  }

  // Registered as the view is drawn (not after the next frame), so leaving at once still stops it;
  // the app hidden (another app, the screen off) releases the camera too.
  useLayoutEffect(() => {
    const hidden = () => {
      if (document.hidden && scanner.current) void stop();
    };
    document.addEventListener('visibilitychange', hidden);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      gone.current = true;
      void scanner.current?.stop();
    };
  }, []);
  useEffect(() => {
    if (state === 'on') scanner.current?.pause(paused);
  }, [paused, state]);

  const live = state === 'on' || state === 'starting';
  const problem = live || state === 'off' ? undefined : state;
  const running = state === 'on' ? scanner.current : undefined;
  return (
    <div
      class={`scanner${folded ? ' scanner--folded' : ''}${live ? '' : ' scanner--off'}`}
      data-decoder={running?.decoder}
    >
      <div class="scanner__frame">
        <div id={CAMERA_ELEMENT} class="scanner__video" />
        {live ? (
          <p class="scanner__aim">{t('gate.camera.aim')}</p>
        ) : (
          <button type="button" class="primary scanner__start" onClick={() => void start()}>
            {t('gate.camera.start')}
          </button>
        )}
      </div>
      {live && (
        <div class="row scanner__tools">
          {running?.torch && (
            <button
              type="button"
              aria-pressed={torchOn}
              onClick={() => {
                const on = !torchOn;
                void running.torch?.(on).then(() => setTorchOn(on));
              }}
            >
              {t('gate.camera.torch')}
            </button>
          )}
          {running && running.cameras.length > 1 && (
            <button type="button" onClick={() => void nextCamera()}>
              {t('gate.camera.switch')}
            </button>
          )}
          <button type="button" onClick={() => void stop()} disabled={state === 'starting'}>
            {t(state === 'starting' ? 'gate.camera.starting' : 'gate.camera.stop')}
          </button>
        </div>
      )}
      <FailureLine text={problem ? t(`gate.camera.${problem}` as MessageKey) : ''} />
    </div>
  );
}
