import { useEffect, useState } from 'preact/hooks';
import { fromBase64Url } from '../../domain/base64url';
import { keyId, verifyEd25519 } from '../../domain/ed25519';
import { checkSetup, type SetupPayload } from '../../domain/setup-code';
import type { MessageKey, Translate } from '../../i18n';
import { Form, PhotoButton, TextField } from '../../ui/fields';
import { FailureLine } from '../../ui/notices';

/**
 * Reads an office's setup code (pasted, from a link, or from a photo of its QR) and checks its
 * signature. A device that trusts no key yet must have a person confirm the signer's key id.
 */
export function SetupCodeReader({
  t,
  trustedKeys,
  initial = '',
  onAccepted,
}: {
  t: Translate;
  trustedKeys: string[] | undefined;
  initial?: string;
  /** Applies an accepted setup; a failure's words are shown, and the code stays to try again. */
  onAccepted: (setup: SetupPayload) => Promise<string | undefined> | undefined;
}) {
  const [code, setCode] = useState(initial);
  const [failure, setFailure] = useState('');
  const [pending, setPending] = useState<SetupPayload>();

  async function read(text: string) {
    const checked = await checkSetup(
      text,
      trustedKeys,
      (key) => keyId(fromBase64Url(key)),
      (key, message, signature) => verifyEd25519(key, message, signature),
    );
    if (!checked.ok) return setFailure(t(`setup.reason.${checked.reason}` as MessageKey));
    setFailure('');
    if (checked.firstTrust) setPending(checked.payload);
    else await accept(checked.payload);
  }

  async function accept(setup: SetupPayload) {
    const failed = await onAccepted(setup);
    setFailure(failed ?? '');
    if (!failed) setCode('');
  }

  // A setup link opened on the phone: read at once, the volunteer only confirms the key.
  useEffect(() => {
    if (initial) void read(initial);
  }, []);

  async function readPhoto(file: File) {
    const { decodeImageFile } = await import('../../scan/camera');
    const text = await decodeImageFile(file);
    if (text === null) setFailure(t('gate.photo.failed'));
    else await read(text);
  }

  if (pending) {
    return (
      <div class="confirm" role="alert">
        <p>
          {t('setup.confirmKey', { kid: `${pending.kid.slice(0, 4)} ${pending.kid.slice(4)}` })}
        </p>
        <button
          type="button"
          class="primary"
          onClick={() => {
            setPending(undefined);
            void accept(pending);
          }}
        >
          {t('setup.useIt')}
        </button>
      </div>
    );
  }
  return (
    <Form inline onSubmit={() => void read(code)}>
      <TextField
        label={t('setup.codeField')}
        path="setup"
        value={code}
        issues={[]}
        onValue={setCode}
      />
      <button type="submit">{t('setup.codeRead')}</button>
      <PhotoButton label={t('setup.codePhoto')} onPhoto={(file) => void readPhoto(file)} />
      <FailureLine text={failure} />
    </Form>
  );
}

/** The settings a setup code brings, as a preset for the settings form (volunteer and names aside). */
export function presetFromSetup(setup: SetupPayload) {
  const { v: _, kid, issuedAt: __, adminPin: ___, ...settings } = setup;
  return { ...settings, provisionedBy: kid };
}
