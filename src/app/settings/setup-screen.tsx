import { useEffect, useMemo, useState } from 'preact/hooks';
import type { KadianDB } from '../../db/database';
import type { DeviceConfig, Preset } from '../../domain/config';
import { newDeviceId } from '../../domain/ids';
import type { PinHash } from '../../domain/secrets';
import type { Translate } from '../../i18n';
import { requestPersistentStorage } from '../../pwa/persist';
import { fetchPreset } from '../../sync/preset';
import { StatusLine } from '../../ui/notices';
import { ConfigEditor } from './config-editor';
import { presetFromSetup, SetupCodeReader } from './setup-code-reader';

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
  const [fromSetupCode, setFromSetupCode] = useState<string>();
  const [adminPin, setAdminPin] = useState<PinHash>();
  useEffect(() => {
    void fetchPreset().then((found) => setPreset((current) => current ?? found ?? null));
  }, []);
  // A setup link carries its code in the fragment (never sent to a server): #setup=KDS1.…
  const linked = window.location.hash.match(/setup=(KDS1\.[\w.-]+)/)?.[1] ?? '';
  return (
    <main class="screen setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <section>
        <h2>{t('setup.code')}</h2>
        <SetupCodeReader
          t={t}
          trustedKeys={undefined}
          initial={linked}
          onAccepted={(setup) => {
            setPreset(presetFromSetup(setup));
            setAdminPin(setup.adminPin);
            setFromSetupCode(t('setup.accepted', { place: setup.checkpoint.name }));
            return undefined;
          }}
        />
        <StatusLine text={fromSetupCode ?? ''} />
      </section>
      {preset !== undefined && (
        <ConfigEditor
          key={fromSetupCode}
          db={db}
          t={t}
          current={{ ...preset, deviceId }}
          full={false}
          submitLabel={t('setup.start')}
          adminPin={adminPin}
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
