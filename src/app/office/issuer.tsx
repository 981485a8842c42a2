import { useEffect, useState } from 'preact/hooks';
import { readMeta, saveConfig, writeMeta } from '../../db/settings';
import { fromBase64Url } from '../../domain/base64url';
import type { DeviceConfig } from '../../domain/config';
import { localDay } from '../../domain/day';
import { keyId } from '../../domain/ed25519';
import { FileButton, Form, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { download } from '../files';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { createIssuer, type Issuer, restoreIssuer } from './keys';
import { NewPassphraseForm } from './new-passphrase';

/** The office's issuer key as stored on this device; null when it has none, undefined while reading. */
export function useIssuer(): Issuer | null | undefined {
  const { db } = useSession();
  return useLive(async () => (await readMeta(db, 'issuer')) ?? null, [db]);
}

/** The key, how to make or restore it, and which keys this device trusts (old and new in a rotation). */
export function IssuerSection() {
  const { t } = useSession();
  const issuer = useIssuer();
  const [rotating, setRotating] = useState(false);
  if (issuer === undefined) return null;
  return (
    <section>
      <h2>{t('office.key')}</h2>
      {issuer ? (
        <>
          <p>
            {t('office.keyInfo', {
              kid: issuer.kid,
              date: localDay(issuer.createdAt),
            })}
          </p>
          <TrustedKeys own={issuer.publicKey} />
          {rotating ? (
            <CreateKey onDone={() => setRotating(false)} />
          ) : (
            <button type="button" onClick={() => setRotating(true)}>
              {t('office.rotate')}
            </button>
          )}
        </>
      ) : (
        <>
          <p>{t('office.noKey')}</p>
          <CreateKey />
          <h3>{t('office.restore')}</h3>
          <RestoreKey />
        </>
      )}
    </section>
  );
}

/** Makes this device's issuer key the one that signs, trusted beside the keys trusted before. */
function useAdoptIssuer() {
  const { db, config, setConfig } = useSession();
  return async (issuer: Issuer) => {
    await writeMeta(db, 'issuer', issuer);
    const trusted: DeviceConfig = {
      ...config,
      issuerKeys: [...new Set([...(config.issuerKeys ?? []), issuer.publicKey])],
    };
    await saveConfig(db, trusted);
    setConfig(trusted);
  };
}

function CreateKey({ onDone }: { onDone?: () => void }) {
  const { t } = useSession();
  const adopt = useAdoptIssuer();

  async function create(passphrase: string) {
    let made: Awaited<ReturnType<typeof createIssuer>>;
    try {
      made = await createIssuer(passphrase, Date.now());
    } catch {
      return t('office.noCrypto');
    }
    // The backup is written out before the key is kept: no key exists that has no backup.
    download(
      `kadian-issuer-${made.issuer.kid}.json`,
      JSON.stringify(made.backup, null, 2),
      'application/json',
    );
    await adopt(made.issuer);
    onDone?.();
  }

  return (
    <NewPassphraseForm
      id="issuer"
      labels={{
        passphrase: t('office.passphrase'),
        again: t('office.passphraseAgain'),
        submit: t('office.createKey'),
      }}
      onPassphrase={create}
    />
  );
}

/** Another office device takes over the key from its backup file and passphrase. */
function RestoreKey() {
  const { t } = useSession();
  const adopt = useAdoptIssuer();
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [passphrase, setPassphrase] = useState('');
  const [failure, setFailure] = useState('');

  async function restore() {
    if (!file) return setFailure(t('office.restore.noFile'));
    const restored = await restoreIssuer(file.text, passphrase, Date.now());
    if (!restored.ok) return setFailure(t(`office.restore.${restored.reason}`));
    await adopt(restored.issuer);
  }

  return (
    <Form onSubmit={() => void restore()}>
      <FileButton
        label={t('office.restore.pick')}
        accept=".json,application/json"
        onFile={(picked) => void picked.text().then((text) => setFile({ name: picked.name, text }))}
      />
      {file && <p>{file.name}</p>}
      <TextField
        label={t('office.restore.passphrase')}
        path="restore-passphrase"
        value={passphrase}
        issues={[]}
        onValue={setPassphrase}
        secret
      />
      <FailureLine text={failure} />
      <button type="submit" class="primary">
        {t('office.restore.button')}
      </button>
    </Form>
  );
}

/** The keys whose passes and setups this device accepts; a retired key can be dropped. */
function TrustedKeys({ own }: { own: string }) {
  const { db, t, config, setConfig } = useSession();
  const [keys, setKeys] = useState<{ key: string; kid: string }[]>([]);
  const [status, setStatus] = useState('');
  useEffect(() => {
    const trusted = config.issuerKeys ?? [];
    void Promise.all(
      trusted.map(async (key) => ({ key, kid: await keyId(fromBase64Url(key)) })),
    ).then(setKeys);
  }, [config.issuerKeys]);

  async function drop(key: string, kid: string) {
    const next = { ...config, issuerKeys: (config.issuerKeys ?? []).filter((k) => k !== key) };
    await saveConfig(db, next);
    setConfig(next);
    setStatus(t('office.keyDropped', { kid }));
  }

  return (
    <>
      <h3>{t('office.trusted')}</h3>
      <ul class="key-list">
        {keys.map(({ key, kid }) => (
          <li key={key}>
            <code>{kid}</code>
            {key === own ? (
              ` ${t('office.ownKey')}`
            ) : (
              <button type="button" onClick={() => void drop(key, kid)}>
                {t('office.dropKey')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <StatusLine text={status} />
    </>
  );
}
