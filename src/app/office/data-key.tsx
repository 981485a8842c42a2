import { useEffect, useState } from 'preact/hooks';
import { saveConfig } from '../../db/settings';
import { fromBase64Url } from '../../domain/base64url';
import { generateDataKey } from '../../domain/data-key';
import { keyId } from '../../domain/ed25519';
import { sealDataKey } from '../../domain/secrets';
import { download } from '../files';
import { useSession } from '../session';
import { NewPassphraseForm } from './new-passphrase';

/** The id of the data key this device encrypts to; undefined without one. */
function useDataKeyId(): string | undefined {
  const { config } = useSession();
  const [kid, setKid] = useState<string>();
  useEffect(() => {
    if (!config.dataKey) return setKid(undefined);
    void keyId(fromBase64Url(config.dataKey)).then(setKid);
  }, [config.dataKey]);
  return kid;
}

/** Whether ID and phone numbers taken here are encrypted, and to which key. */
export function DataKeyStatus() {
  const { t } = useSession();
  const kid = useDataKeyId();
  return <p>{kid ? t('dataKey.on', { kid }) : t('dataKey.off')}</p>;
}

/**
 * The office's data key: made here, its private half written at once to a passphrase-sealed file
 * and then forgotten (only that file and its passphrase read the numbers, at the receiver); its
 * public half goes to the gates with the setup code.
 */
export function DataKeySection() {
  const { db, t, config, setConfig } = useSession();
  const kid = useDataKeyId();
  const [making, setMaking] = useState(false);

  async function create(passphrase: string) {
    let file: Awaited<ReturnType<typeof sealDataKey>>;
    try {
      const made = await generateDataKey();
      file = await sealDataKey(made.pkcs8, passphrase, made.kid, made.publicKey);
      made.pkcs8.fill(0);
    } catch {
      return t('dataKey.noCrypto');
    }
    download(`kadian-data-key-${file.kid}.json`, JSON.stringify(file, null, 2), 'application/json');
    const next = { ...config, dataKey: file.publicKey };
    await saveConfig(db, next);
    setConfig(next);
    setMaking(false);
  }

  return (
    <section>
      <h2>{t('dataKey.title')}</h2>
      <DataKeyStatus />
      <p>{t('dataKey.hint')}</p>
      {kid && !making ? (
        <button type="button" onClick={() => setMaking(true)}>
          {t('dataKey.replace')}
        </button>
      ) : (
        <NewPassphraseForm
          id="data-key"
          labels={{
            passphrase: t('dataKey.passphrase'),
            again: t('dataKey.passphraseAgain'),
            submit: t('dataKey.create'),
          }}
          onPassphrase={create}
        />
      )}
    </section>
  );
}
