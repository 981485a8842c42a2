import { useEffect, useMemo, useState } from 'preact/hooks';
import type { KadianDB } from '../../db/database';
import type { DeviceConfig, Preset } from '../../domain/config';
import { newDeviceId } from '../../domain/ids';
import type { Translate } from '../../i18n';
import { requestPersistentStorage } from '../../pwa/persist';
import { fetchPreset } from '../../sync/preset';
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
  // A county may serve a config.json beside the app to preset its devices; read only here, at first run.
  const [preset, setPreset] = useState<Preset | null>();
  useEffect(() => {
    void fetchPreset().then((found) => setPreset(found ?? null));
  }, []);
  return (
    <main class="screen setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      {preset !== undefined && (
        <ConfigEditor
          db={db}
          t={t}
          current={{ ...preset, deviceId }}
          full={false}
          submitLabel={t('setup.start')}
          onSaved={(config) => {
            // Asked once the device holds records worth keeping; the answer is shown in settings.
            void requestPersistentStorage();
            onDone(config);
          }}
        />
      )}
    </main>
  );
}
