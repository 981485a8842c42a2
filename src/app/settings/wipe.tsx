import { useState } from 'preact/hooks';
import { unsentRecords, wipeDevice } from '../../db/retention';
import { localDay } from '../../domain/day';
import { sealRecords } from '../../domain/secrets';
import { Form, TextField } from '../../ui/fields';
import { FailureLine, StatusLine } from '../../ui/notices';
import { download } from '../files';
import { useSession } from '../session';
import { useLive } from '../use-live';

const MIN_PASSPHRASE = 10;

/**
 * Wiping a shared or lost phone's data. With records not uploaded it refuses, unless they were
 * first exported (sealed with a passphrase, for the receiver to import) or the volunteer confirms
 * twice that they will be lost.
 */
export function WipeSection() {
  const { db, t, config } = useSession();
  const unsent = useLive(() => unsentRecords(db), [db]);
  const [exported, setExported] = useState(false);
  const [confirms, setConfirms] = useState(0);
  const [passphrase, setPassphrase] = useState('');
  const [status, setStatus] = useState('');
  const [failure, setFailure] = useState('');
  if (!unsent) return null;
  const lossy = unsent.length > 0 && !exported;

  async function exportRecords() {
    if (!unsent) return;
    if ([...passphrase].length < MIN_PASSPHRASE) return setFailure(t('office.passphraseShort'));
    const now = Date.now();
    let file: Awaited<ReturnType<typeof sealRecords>>;
    try {
      file = await sealRecords(unsent, passphrase, config.deviceId, now);
    } catch (error) {
      return setFailure(
        t('wipe.exportFailed', { reason: String((error as Error)?.message ?? error) }),
      );
    }
    download(
      `kadian-export-${config.deviceId}-${localDay(now)}.json`,
      JSON.stringify(file),
      'application/json',
    );
    setPassphrase('');
    setFailure('');
    setExported(true);
    setStatus(t('wipe.exported', { count: unsent.length }));
  }

  async function wipe() {
    if (!unsent) return;
    // One confirmation always; a second when records that were not exported would be lost.
    const needed = lossy ? 3 : 2;
    if (confirms + 1 < needed) return setConfirms(confirms + 1);
    try {
      await wipeDevice(db);
    } catch (error) {
      // Nothing was deleted (another page may hold the database): say so, and start over.
      setConfirms(0);
      return setFailure(t('wipe.failed', { reason: String((error as Error)?.message ?? error) }));
    }
    window.location.reload();
  }

  return (
    <section>
      <h2>{t('wipe.title')}</h2>
      {unsent.length > 0 && !exported && (
        <>
          <p class="warning" role="alert">
            {t('wipe.unsent', { count: unsent.length })}
          </p>
          <Form onSubmit={() => void exportRecords()}>
            <TextField
              label={t('wipe.passphrase')}
              path="export-passphrase"
              value={passphrase}
              issues={[]}
              onValue={setPassphrase}
              secret
            />
            <button type="submit" class="primary">
              {t('wipe.export')}
            </button>
          </Form>
        </>
      )}
      <StatusLine text={status} />
      <FailureLine text={failure} />
      {confirms > 0 && (
        <p class="warning" role="alert">
          {lossy
            ? t(confirms === 1 ? 'wipe.confirmLoss' : 'wipe.confirmLast', { count: unsent.length })
            : t('wipe.confirmPlain')}
        </p>
      )}
      <button type="button" class="danger" onClick={() => void wipe()}>
        {t(confirms > 0 ? 'wipe.confirm' : 'wipe.button')}
      </button>
    </section>
  );
}
