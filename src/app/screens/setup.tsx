import { useMemo } from 'preact/hooks';
import type { KadianDB } from '../../db/database';
import type { DeviceConfig } from '../../domain/config';
import { newDeviceId } from '../../domain/ids';
import type { Translate } from '../../i18n';
import { requestPersistentStorage } from '../../pwa/persist';
import { ConfigEditor } from './config-editor';

/** First run: where this checkpoint is and who is on duty; saving starts the first shift. */
export function SetupScreen({
  db,
  t,
  onDone,
}: {
  db: KadianDB;
  t: Translate;
  onDone: (config: DeviceConfig) => void;
}) {
  const deviceId = useMemo(() => newDeviceId((bytes) => crypto.getRandomValues(bytes)), []);
  return (
    <main class="screen setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <ConfigEditor
        db={db}
        t={t}
        current={{ deviceId }}
        full={false}
        submitLabel={t('setup.start')}
        onSaved={(config) => {
          // Asked once the device holds records worth keeping; the answer is shown in settings.
          void requestPersistentStorage();
          onDone(config);
        }}
      />
    </main>
  );
}
