import { useEffect, useState } from 'preact/hooks';
import { saveConfig } from '../../db/settings';
import { DeviceConfig } from '../../domain/config';
import { check } from '../../domain/issues';
import { LANGS, type Lang } from '../../i18n';
import { requestPersistentStorage, type StorageUse, storageUse } from '../../pwa/persist';
import { StatusLine } from '../../ui/notices';
import { allowedByDeployment } from '../deployment-check';
import { DataKeyStatus } from '../office/data-key';
import { describeWriteFailure, refusal, useSession } from '../session';
import { syncNow } from '../sync/sync-runner';
import { AdminPinGate } from './admin-pin';
import { ConfigEditor } from './config-editor';
import { ConfigReader } from './config-reader';
import { RevocationReader } from './revocation-reader';
import { presetFromSetup, SetupCodeReader } from './setup-code-reader';
import { WipeSection } from './wipe';

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
/** Settings change what every record says and where it goes: they open with the admin PIN. */
export function SettingsScreen() {
  const { t, config } = useSession();
  const [unlocked, setUnlocked] = useState(false);
  if (unlocked) return <Settings />;
  return (
    <section class="screen settings">
      <h1>{t('settings.title')}</h1>
      <p>{t('settings.needsPin')}</p>
      <AdminPinGate mayCreate={!config.provisionedBy} onUnlocked={() => setUnlocked(true)} />
    </section>
  );
}

function Settings() {
  const { db, t, config, setConfig, lang, setLang } = useSession();
  const [status, setStatus] = useState('');
  const [warning, setWarning] = useState('');
  const [persisted, setPersisted] = useState<boolean>();
  const [use, setUse] = useState<StorageUse>();
  useEffect(() => {
    void requestPersistentStorage().then(setPersisted);
    void storageUse().then(setUse);
  }, []);

  return (
    <section class="screen settings">
      <h1>{t('settings.title')}</h1>
      <StatusLine text={status} />
      {warning && (
        <p class="warning" role="alert">
          {warning}
        </p>
      )}
      <div class="field">
        <label for="settings-lang">{t('settings.language')}</label>
        <select
          id="settings-lang"
          value={lang}
          onChange={(event) => setLang(event.currentTarget.value as Lang)}
        >
          {LANGS.map((option) => (
            <option key={option} value={option}>
              {option === 'zh-CN' ? '中文（简体）' : 'English'}
            </option>
          ))}
        </select>
      </div>
      <ConfigEditor
        key={JSON.stringify(config)}
        db={db}
        t={t}
        current={config}
        full
        submitLabel={t('common.save')}
        onSaved={(saved, previous) => {
          setConfig(saved);
          // A new endpoint or token: try at once, lifting a pause the old one caused.
          if (JSON.stringify(saved.sync) !== JSON.stringify(previous?.sync)) void syncNow();
          const handedOver = previous && previous.volunteer.name !== saved.volunteer.name;
          setStatus(
            handedOver
              ? t('settings.volunteerChanged', { name: saved.volunteer.name })
              : t('settings.saved'),
          );
          // Saved as typed, with a warning: the deployment may be widened to allow it.
          const endpoint = saved.sync?.endpoint;
          if (endpoint)
            void allowedByDeployment(endpoint).then((allowed) =>
              setWarning(allowed ? '' : t('settings.endpointBlocked', { endpoint })),
            );
          else setWarning('');
        }}
      />
      <h2>{t('setup.code')}</h2>
      <SetupCodeReader
        t={t}
        trustedKeys={config.issuerKeys}
        onAccepted={async (setup) => {
          // The device's own id, name and volunteer stay; everything the office sets is replaced.
          const next = check(DeviceConfig, { ...config, ...presetFromSetup(setup) });
          if (!next.ok) return refusal(t, next);
          try {
            await saveConfig(db, next.value, { adminPin: setup.adminPin });
          } catch (error) {
            return describeWriteFailure(t, error);
          }
          setConfig(next.value);
          setStatus(t('settings.applied'));
          void syncNow();
          return undefined;
        }}
      />
      <h2>{t('pushed.title')}</h2>
      <ConfigReader />
      <h2>{t('revocations.title')}</h2>
      <RevocationReader />
      <h2>{t('settings.storage')}</h2>
      {persisted !== undefined && (
        <p>{t(persisted ? 'settings.persisted' : 'settings.notPersisted')}</p>
      )}
      {use && (
        <p>
          {t('settings.usage', {
            used: megabytes(use.usage),
            quota: megabytes(use.quota),
            share: Math.round((use.usage / use.quota) * 100),
          })}
        </p>
      )}
      <p>{t('settings.device', { deviceId: config.deviceId })}</p>
      <h2>{t('dataKey.title')}</h2>
      <DataKeyStatus />
      <WipeSection />
      <p>
        <a class="button" href="#/office">
          {t('office.open')}
        </a>
      </p>
    </section>
  );
}
