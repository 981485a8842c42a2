import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { scanDecision } from '../../db/scan-decision';
import { readMeta, writeMeta } from '../../db/settings';
import { localDay } from '../../domain/day';
import { issuerMap } from '../../domain/ed25519';
import { checkPass, type PassPayload, signedContent } from '../../domain/pass';
import { scanFromCheck, uncheckedScan } from '../../domain/pass-code';
import type { RecordData, RecordOfKind } from '../../domain/records';
import { RepeatGuard } from '../../domain/repeat-guard';
import { REVOCATION_PREFIX } from '../../domain/revocation-code';
import { typedByScanner } from '../../domain/scanner-typing';
import { Form, PhotoButton } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { Verdict } from '../../ui/verdict';
import { createRecord, refusal, useSession } from '../session';
import { prepareSignals, signal, signalAfterDrawing } from './feedback';
import { oneDecisionAtATime, passContext } from './pass-check';
import { loadScanner, ScannerView } from './scanner-view';
import { TemperatureFlow } from './temperature-flow';
import { useWakeLock } from './use-wake-lock';

type Scan = RecordOfKind<'pass-scan'>;
type Subject = RecordData<'temperature'>['subject'];

const CODE_MARK = 'kadian:code';

/**
 * The gate, one screen at 360×640 with nothing to scroll: a pass is read (camera, barcode scanner,
 * photo), its verdict shown, then the temperature pad takes the camera's place under it.
 */
export function GateScreen() {
  useWakeLock();
  const session = useSession();
  const { t, config, direction, setDirection } = session;
  // Key ids are hashes (async); once resolved, awaiting this costs a microtask per scan.
  const trusted = useMemo(() => issuerMap(config.issuerKeys), [config.issuerKeys]);
  const [pass, setPass] = useState<PassPayload>();
  const [code, setCode] = useState('');
  const [scan, setScan] = useState<Scan>();
  const [subject, setSubject] = useState<Subject>();
  /** The scan a temperature was taken for (on the way out it is asked for, not offered). */
  const [measuredFor, setMeasuredFor] = useState<string>();
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  const [hardwareScanner, setHardwareScanner] = useState(false);
  const duplicateWindowMs = config.rules.duplicateWindowSeconds * 1000;
  const cameraGuard = useMemo(() => new RepeatGuard(duplicateWindowMs), [duplicateWindowMs]);
  const measuring = useRef(false);
  const covered = useRef(false);
  covered.current = session.covered === true;
  const codeInput = useRef<HTMLInputElement>(null);
  const keyTimes = useRef<number[]>([]);
  const focusCode = useRef(false);

  useEffect(prepareSignals, []);

  useEffect(() => {
    void readMeta(session.db, 'hardwareScanner').then((known) => {
      setHardwareScanner(known === true);
      if (known) codeInput.current?.focus();
    });
  }, [session.db]);

  async function onCode(text: string) {
    // When the text was read (camera, photo, code field): the start of the gate's hot path, for
    // a benchmark to time the verdict from (one mark kept).
    performance.clearMarks(CODE_MARK);
    performance.mark(CODE_MARK);
    // The office's revocation list or configuration (its code loaded only then), shown to the
    // gate's scanner: imported or applied, not recorded as a pass.
    const code = text.trim();
    if (code.startsWith(REVOCATION_PREFIX) || code.startsWith('KDC1.')) {
      const result = code.startsWith(REVOCATION_PREFIX)
        ? await (await import('../settings/revocation-import')).importRevocations(
            session.db,
            config.issuerKeys,
            text,
            t,
          )
        : await (await import('../settings/config-import')).importPushedConfig(session, text);
      setFailure(result.ok ? '' : result.message);
      setStatus(result.ok ? result.message : '');
      signal(result.ok ? 'ok' : 'alarm');
      return;
    }
    const issuers = await trusted;
    const { check, outcome, saved } = await oneDecisionAtATime(async () => {
      // The history read and the scan saved in one transaction: nothing may wait between them.
      const now = Date.now();
      const decision = scanDecision(session.db, [config.checkpoint.id, localDay(now)]);
      const context = passContext(config, issuers, direction, now, decision.history);
      // Without trusted issuer keys a readable pass can only be recorded as unverified.
      const check = issuers.size ? await checkPass(text, context) : undefined;
      const outcome = check
        ? scanFromCheck(text, direction, check)
        : await uncheckedScan(text, context);
      const saved = await createRecord(session, 'pass-scan', outcome, decision.save);
      return { check, outcome, saved };
    });
    // The code field was emptied for the next card: a refused write asks for the card again.
    const again =
      !saved.ok && saved.cause && t('gate.saveFailed', { reason: t(`error.${saved.cause}`) });
    setFailure(saved.ok ? '' : again || refusal(t, saved));
    if (!saved.ok) return;
    setScan(saved.record);
    setPass(signedContent(check));
    setStatus('');
    signalAfterDrawing(
      outcome.verdict === 'denied' ? 'alarm' : outcome.verdict === 'allowed' ? 'ok' : 'attention',
    );
    const measure = outcome.verdict !== 'denied' && direction === 'in';
    measureNext(measure ? { type: 'pass', ref: outcome.passId } : undefined);
  }
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  /** Who is measured next, if anyone; the camera callback reads it before the next render. */
  function measureNext(next: Subject | undefined) {
    measuring.current = next !== undefined;
    setSubject(next);
  }

  function finish(summary: string) {
    if (subject?.type === 'pass') setMeasuredFor(scan?.id);
    measureNext(undefined);
    setStatus(summary);
    // Only with a barcode scanner: on a phone the soft keyboard would cover the camera.
    focusCode.current = hardwareScanner;
  }

  useEffect(() => {
    // The code field is in sight again once the pad has gone: focus it then.
    if (subject || !focusCode.current) return;
    focusCode.current = false;
    codeInput.current?.focus();
  }, [subject]);

  function onCameraText(text: string) {
    // While a temperature is taken, a card still held up is seen (not read again when the pad
    // closes); under a fever alert nothing new is read until it closes.
    if (measuring.current || covered.current) cameraGuard.see(text, Date.now());
    else if (cameraGuard.take(text, Date.now())) void onCodeRef.current(text);
  }

  async function readPhoto(file: File) {
    const { decodeImageFile } = await loadScanner();
    const text = await decodeImageFile(file);
    if (text === null) setStatus(t('gate.photo.failed'));
    else await onCode(text);
  }

  function submitCode() {
    // Read the field itself: a barcode scanner types faster than the screen re-renders.
    const text = (codeInput.current?.value ?? code).trim();
    setCode('');
    if (typedByScanner(keyTimes.current) && !hardwareScanner) {
      setHardwareScanner(true);
      void writeMeta(session.db, 'hardwareScanner', true);
    }
    keyTimes.current = [];
    if (text) void onCode(text);
  }

  const exitUnmeasured =
    scan &&
    !subject &&
    scan.data.direction === 'out' &&
    scan.data.verdict !== 'denied' &&
    measuredFor !== scan.id;
  return (
    <section class="screen gate">
      <h1 class="visually-hidden">{t('gate.title')}</h1>
      {!subject && (
        <fieldset class="segmented">
          <legend class="visually-hidden">{t('gate.direction')}</legend>
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
      )}

      <StatusLine text={status} />
      <FailureLine text={failure} />
      {scan && (
        <Verdict
          scan={scan.data}
          recordId={scan.id}
          at={scan.recordedAt}
          pass={pass}
          brief={subject !== undefined}
        />
      )}
      {exitUnmeasured && scan.data.passId && (
        <button
          type="button"
          onClick={() => measureNext({ type: 'pass', ref: scan.data.passId as string })}
        >
          {t('gate.measure')}
        </button>
      )}
      {subject && (
        <>
          <TemperatureFlow
            key={scan?.id ?? 'person'}
            subject={subject}
            heading={subject.type === 'person' ? t('temp.subject.person') : undefined}
            onFinished={finish}
          />
          <button type="button" class="quiet" onClick={() => finish('')}>
            {t('gate.skip')}
          </button>
        </>
      )}

      <ScannerView
        onRead={onCameraText}
        folded={subject !== undefined}
        paused={subject !== undefined || session.covered === true}
      />

      {/*
        Out of sight while a temperature is taken, but still there: a barcode scanner typing the
        next card (the person skipped the reading) is decided as any other.
      */}
      <div class={subject ? 'visually-hidden' : undefined}>
        <Form inline onSubmit={submitCode}>
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
              onInput={(event) => {
                const { value } = event.currentTarget;
                if (value.length <= 1) keyTimes.current = [];
                keyTimes.current.push(performance.now());
                setCode(value);
              }}
            />
          </div>
          <button type="submit">{t('gate.check')}</button>
        </Form>
      </div>
      {!subject && (
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
      )}
    </section>
  );
}
