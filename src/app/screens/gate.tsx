import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { issuerMap } from '../../domain/ed25519';
import { checkPass, type PassPayload } from '../../domain/pass';
import { scanFromCheck, uncheckedScan } from '../../domain/pass-code';
import type { RecordData, RecordOfKind } from '../../domain/records';
import { RepeatGuard } from '../../domain/repeat-guard';
import { REVOCATION_PREFIX } from '../../domain/revocation-code';
import type { MessageKey } from '../../i18n';
import type { CameraProblem, CameraScanner } from '../../scan/camera';
import { Form, PhotoButton } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { Verdict } from '../../ui/verdict';
import { signal } from '../feedback';
import { oneDecisionAtATime, passContext } from '../pass-check';
import { importRevocations } from '../revocation-import';
import { createRecord, refusal, useSession } from '../session';
import { TemperatureFlow } from '../temperature-flow';
import { useWakeLock } from '../use-wake-lock';

type Scan = RecordOfKind<'pass-scan'>;
type Subject = RecordData<'temperature'>['subject'];

const CAMERA_ELEMENT = 'kd-camera';

const loadScanner = () => import('../../scan/camera');

/** The gate: a pass is scanned (camera, barcode scanner, photo), its verdict shown, then a temperature. */
export function GateScreen() {
  useWakeLock();
  const session = useSession();
  const { t, config } = session;
  // Key ids are hashes (async); once resolved, awaiting this costs a microtask per scan.
  const trusted = useMemo(() => issuerMap(config.issuerKeys), [config.issuerKeys]);
  const { direction, setDirection } = session;
  const [pass, setPass] = useState<PassPayload>();
  const [code, setCode] = useState('');
  const [scan, setScan] = useState<Scan>();
  const [subject, setSubject] = useState<Subject>();
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const [camera, setCamera] = useState<'off' | 'starting' | 'on' | CameraProblem>('off');
  const scanner = useRef<CameraScanner | undefined>(undefined);
  const duplicateWindowMs = config.rules.duplicateWindowSeconds * 1000;
  const cameraGuard = useMemo(() => new RepeatGuard(duplicateWindowMs), [duplicateWindowMs]);
  const measuring = useRef(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const onCodeRef = useRef<(text: string) => void>(() => {});

  async function onCode(text: string) {
    // The office's revocation list, shown to the gate's scanner: imported, not recorded as a pass.
    if (text.trim().startsWith(REVOCATION_PREFIX)) {
      const result = await importRevocations(session.db, config.issuerKeys, text, t);
      setFailure(result.ok ? '' : result.message);
      setStatus(result.ok ? result.message : '');
      signal(result.ok ? 'ok' : 'alarm');
      return;
    }
    const issuers = await trusted;
    const { check, outcome, saved } = await oneDecisionAtATime(async () => {
      const context = passContext(session.db, config, issuers, direction, Date.now());
      // Without trusted issuer keys a readable pass can only be recorded as unverified.
      const check = issuers.size ? await checkPass(text, context) : undefined;
      const outcome = check
        ? scanFromCheck(text, direction, check)
        : await uncheckedScan(text, context);
      return { check, outcome, saved: await createRecord(session, 'pass-scan', outcome) };
    });
    setFailure(saved.ok ? '' : refusal(t, saved));
    if (!saved.ok) return;
    setScan(saved.record);
    setPass(check?.pass);
    setStatus('');
    signal(
      outcome.verdict === 'denied' ? 'alarm' : outcome.verdict === 'allowed' ? 'ok' : 'attention',
    );
    const measure = outcome.verdict !== 'denied' && direction === 'in';
    measureNext(measure ? { type: 'pass', ref: outcome.passId } : undefined);
  }
  onCodeRef.current = (text) => void onCode(text);

  /** Who is measured next, if anyone; the camera callback reads it before the next render. */
  function measureNext(next: Subject | undefined) {
    measuring.current = next !== undefined;
    setSubject(next);
  }

  function finish(summary: string) {
    measureNext(undefined);
    setStatus(summary);
    codeInput.current?.focus();
  }

  async function startCamera() {
    setCamera('starting');
    try {
      const { startCamera: start } = await loadScanner();
      // The camera keeps running while a temperature is taken, so a card still held up is seen
      // as still there (and not read again) rather than read anew when the keypad closes.
      scanner.current = await start(CAMERA_ELEMENT, (text) => {
        if (measuring.current) cameraGuard.see(text, Date.now());
        else if (cameraGuard.take(text, Date.now())) onCodeRef.current(text);
      });
      setCamera('on');
    } catch (error) {
      setCamera((error as { problem?: CameraProblem }).problem ?? 'failed');
    }
  }

  async function stopCamera() {
    const running = scanner.current;
    scanner.current = undefined;
    setCamera('off');
    await running?.stop();
  }

  useEffect(() => () => void scanner.current?.stop(), []);

  async function readPhoto(file: File) {
    const { decodeImageFile } = await loadScanner();
    const text = await decodeImageFile(file);
    if (text === null) setStatus(t('gate.photo.failed'));
    else await onCode(text);
  }

  const cameraProblem =
    camera !== 'off' && camera !== 'starting' && camera !== 'on' ? camera : undefined;
  return (
    <section class="screen gate">
      <h1>{t('gate.title')}</h1>
      <fieldset class="segmented">
        <legend>{t('gate.direction')}</legend>
        {(['in', 'out'] as const).map((option) => (
          <button
            type="button"
            key={option}
            aria-pressed={direction === option}
            onClick={() => setDirection(option)}
          >
            {t(option === 'in' ? 'gate.in' : 'gate.out')}
          </button>
        ))}
      </fieldset>

      <StatusLine text={status} />
      <FailureLine text={failure} />
      {scan && <Verdict scan={scan.data} recordId={scan.id} pass={pass} />}
      {subject && (
        <TemperatureFlow
          key={scan?.id ?? 'person'}
          subject={subject}
          heading={t('temp.subject', {
            subject: subject.ref ?? t('temp.subject.person'),
          })}
          onFinished={finish}
        />
      )}

      <div class="camera">
        <div
          id={CAMERA_ELEMENT}
          class={
            camera === 'on' || camera === 'starting'
              ? 'camera__view'
              : 'camera__view camera__view--off'
          }
        />
        {camera === 'on' || camera === 'starting' ? (
          <button type="button" onClick={() => void stopCamera()} disabled={camera === 'starting'}>
            {t(camera === 'starting' ? 'gate.camera.starting' : 'gate.camera.stop')}
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => void startCamera()}>
            {t('gate.camera.start')}
          </button>
        )}
        <FailureLine text={cameraProblem ? t(`gate.camera.${cameraProblem}` as MessageKey) : ''} />
      </div>

      <Form
        inline
        onSubmit={() => {
          // Read the field itself: a barcode scanner types faster than the screen re-renders.
          const text = (codeInput.current?.value ?? code).trim();
          setCode('');
          if (text) void onCode(text);
        }}
      >
        <div class="field">
          <label for="gate-code">{t('gate.code')}</label>
          <input
            id="gate-code"
            ref={codeInput}
            value={code}
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            enterKeyHint="go"
            onInput={(event) => setCode(event.currentTarget.value)}
          />
        </div>
        <button type="submit">{t('gate.check')}</button>
      </Form>

      <div class="row">
        <PhotoButton label={t('gate.photo')} onPhoto={(file) => void readPhoto(file)} />
        <button
          type="button"
          onClick={() => {
            setScan(undefined);
            measureNext({ type: 'person' });
          }}
        >
          {t('gate.personWithoutPass')}
        </button>
      </div>
    </section>
  );
}
