import type { FunctionComponent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getDb } from '../db/database';
import { feversPending } from '../db/fevers';
import { readSyncStatus } from '../db/outbox';
import { wipeDevice } from '../db/retention';
import { readMeta, writeMeta } from '../db/settings';
import { type DeviceConfig, storedConfig } from '../domain/config';
import type { PendingFever } from '../domain/fever-pending';
import { DEFAULT_LANG, LANGS, type Lang, loadLang, translator } from '../i18n';
import { storageLow, storageUse } from '../pwa/persist';
import { registerServiceWorker } from '../pwa/register';
import { I18nContext } from '../ui/i18n';
import { Icon } from '../ui/icons';
import { InsecureNotice, UpdateBanner } from '../ui/notices';
import { FeverBar } from './gate/fever-bar';
import { GateScreen } from './gate/gate-screen';
import { TemperatureFlow } from './gate/temperature-flow';
import { lazyScreen } from './lazy-screen';
import { PlaceLine } from './report/report-reminder';
import { startRetention } from './retention-runner';
import { type Direction, type Session, SessionContext } from './session';
import { useShiftLock } from './shift/use-shift-lock';
import { startSyncRunner } from './sync/sync-runner';
import { useLive } from './use-live';
import { ROUTES, type Route, useRoute } from './use-route';

// The gate loads with the app; every other screen when first opened (the
// service worker has precached them, so offline too): what the gate loads first stays small.
const SCREENS: Record<Route, FunctionComponent> = {
  gate: GateScreen,
  visitors: lazyScreen(() =>
    import('./visitors/visitors-screen').then((module) => module.VisitorsScreen),
  ),
  isolation: lazyScreen(() =>
    import('./isolation/isolation-screen').then((module) => module.IsolationScreen),
  ),
  log: lazyScreen(() => import('./log/log-screen').then((module) => module.LogScreen)),
  sync: lazyScreen(() => import('./sync/sync-screen').then((module) => module.SyncScreen)),
  settings: lazyScreen(() =>
    import('./settings/settings-screen').then((module) => module.SettingsScreen),
  ),
  report: lazyScreen(() => import('./report/report-screen').then((module) => module.ReportScreen)),
  // The office (and the QR library it needs): gates rarely open it.
  office: lazyScreen(() => import('./office/office-screen').then((module) => module.OfficeScreen)),
};
const Stopped = lazyScreen(() =>
  import('./settings/stopped').then((module) => module.StoppedScreen),
);
const ShiftLock = lazyScreen(() => import('./shift/shift-lock').then((module) => module.ShiftLock));
const SetupScreen = lazyScreen(() =>
  import('./settings/setup-screen').then((module) => module.SetupScreen),
);
const NAV_LABELS = {
  gate: 'nav.gate',
  visitors: 'nav.visitors',
  isolation: 'nav.isolation',
  log: 'nav.log',
  report: 'nav.report',
  sync: 'nav.sync',
  settings: 'nav.settings',
} as const;

const STORAGE_CHECK_MS = 5 * 60 * 1000;
const DEFAULT_IDLE_LOCK_MINUTES = 5;

const isLang = (value: unknown): value is Lang => (LANGS as readonly unknown[]).includes(value);
const browserLang = (): Lang =>
  navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : DEFAULT_LANG;

type Loaded = { config?: DeviceConfig; lang: Lang; direction: Direction };

export function App({ secure }: { secure: boolean }) {
  const db = useMemo(getDb, []);
  const [loaded, setLoaded] = useState<Loaded>();
  const [applyUpdate, setApplyUpdate] = useState<() => void>();
  const route = useRoute();

  useEffect(() => {
    if (!secure) return;
    registerServiceWorker({ onUpdateReady: (apply) => setApplyUpdate(() => apply) });
    void Promise.all([
      readMeta(db, 'config'),
      readMeta(db, 'lang'),
      readMeta(db, 'gateDirection'),
    ]).then(async ([config, saved, direction]) => {
      const parsed = storedConfig(config);
      const lang = isLang(saved) ? saved : DEFAULT_LANG;
      await loadLang(lang);
      setLoaded({
        config: parsed.success ? parsed.data : undefined,
        lang,
        direction: direction === 'out' ? 'out' : 'in',
      });
    });
  }, [db, secure]);

  const provisioned = loaded?.config !== undefined;
  // The office's pushed configuration may be applied by a sync (here or in the worker): run it.
  const stored = useLive(
    () => (provisioned ? readMeta(db, 'config') : Promise.resolve(undefined)),
    [db, provisioned],
  );
  useEffect(() => {
    if (!stored?.pushed || stored.pushed.at === loaded?.config?.pushed?.at) return;
    const parsed = storedConfig(stored);
    if (parsed.success) setLoaded((current) => current && { ...current, config: parsed.data });
  }, [stored, loaded?.config?.pushed?.at]);
  const checkpointId = loaded?.config?.checkpoint.id;
  // Fevers still waiting for a referral or isolation: a bar on every screen until they are handled.
  const fevers = useLive(
    () => (checkpointId ? feversPending(db, checkpointId, Date.now()) : Promise.resolve([])),
    [db, checkpointId],
  );
  const [openFever, setOpenFever] = useState<PendingFever>();
  // Stopped by the office: not used any more; written off as lost: it wipes itself and starts afresh.
  const stopped = useLive(
    async () => (provisioned ? (await readSyncStatus(db)).paused : undefined),
    [db, provisioned],
  );
  useEffect(() => {
    if (stopped === 'lost') void wipeDevice(db).then(() => window.location.reload());
  }, [db, stopped]);
  useEffect(() => (provisioned ? startSyncRunner(db) : undefined), [db, provisioned]);
  // Storage nearly full: said on every screen, checked at start and every few minutes.
  const [storageFull, setStorageFull] = useState(false);
  useEffect(() => {
    if (!secure) return;
    const check = () => void storageUse().then((use) => setStorageFull(!!use && storageLow(use)));
    check();
    const timer = setInterval(check, STORAGE_CHECK_MS);
    return () => clearInterval(timer);
  }, [secure]);
  const shift = useShiftLock(
    db,
    provisioned ? (loaded?.config?.rules.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES) : undefined,
  );
  const retentionDays = loaded?.config?.rules.retentionDays;
  useEffect(
    () => (retentionDays ? startRetention(db, retentionDays) : undefined),
    [db, retentionDays],
  );

  const lang = loaded?.lang ?? DEFAULT_LANG;
  const t = useMemo(() => translator(lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t('app.title')} Kadian`;
  }, [lang, t]);

  if (!secure) {
    return (
      <I18nContext.Provider value={translator(browserLang())}>
        <InsecureNotice />
      </I18nContext.Provider>
    );
  }
  if (!loaded) return <p class="loading">{t('app.loading')}</p>;

  const setLang = (next: Lang) => {
    void loadLang(next).then(() => {
      setLoaded((current) => current && { ...current, lang: next });
      void writeMeta(db, 'lang', next);
    });
  };

  if (!loaded.config) {
    return (
      <I18nContext.Provider value={t}>
        <header class="topbar">
          <p class="topbar__place">
            <strong>{t('app.title')}</strong>
          </p>
          <LangToggle lang={lang} onLang={setLang} />
        </header>
        <SetupScreen db={db} t={t} onDone={(config) => setLoaded({ ...loaded, config })} />
      </I18nContext.Provider>
    );
  }

  const session: Session = {
    db,
    config: loaded.config,
    t,
    lang,
    setLang,
    setConfig: (config) => setLoaded({ ...loaded, config }),
    direction: loaded.direction,
    setDirection: (direction) => {
      setLoaded({ ...loaded, direction });
      void writeMeta(db, 'gateDirection', direction);
    },
    covered: openFever !== undefined,
  };
  const Screen = SCREENS[route];
  return (
    <I18nContext.Provider value={t}>
      <SessionContext.Provider value={session}>
        <div class="shell">
          <header class="topbar">
            {/* A fever waiting for its follow-up takes the place's line until it is handled. */}
            {!shift.locked && fevers?.length ? (
              <FeverBar fevers={fevers} onOpen={setOpenFever} />
            ) : (
              <PlaceLine />
            )}
            <LangToggle lang={lang} onLang={setLang} />
            {!shift.locked && (
              <button
                type="button"
                class="lang"
                aria-label={t('shift.lock')}
                title={t('shift.lock')}
                onClick={shift.lock}
              >
                <Icon name="lock" />
                {t('shift.lockShort')}
              </button>
            )}
          </header>
          {applyUpdate && (
            <UpdateBanner onUpdate={applyUpdate} onLater={() => setApplyUpdate(undefined)} />
          )}
          {storageFull && (
            <p class="warning" role="alert">
              {t('storage.low')}
            </p>
          )}
          {stopped === 'revoked' || stopped === 'lost' ? (
            <main class="content">
              <Stopped />
            </main>
          ) : shift.locked ? (
            <main class="content">
              <ShiftLock onUnlocked={shift.unlock} />
            </main>
          ) : (
            <>
              {openFever && (
                <TemperatureFlow
                  key={openFever.first.id}
                  subject={openFever.first.data.subject}
                  resume={openFever}
                  onFinished={() => setOpenFever(undefined)}
                />
              )}
              <main class="content">
                <Screen />
              </main>
              <nav class="tabs" aria-label={t('app.title')}>
                {ROUTES.map((name) => (
                  <a
                    key={name}
                    href={`#/${name}`}
                    aria-current={name === route ? 'page' : undefined}
                  >
                    <Icon name={name} />
                    {t(NAV_LABELS[name])}
                  </a>
                ))}
              </nav>
            </>
          )}
        </div>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

function LangToggle({ lang, onLang }: { lang: Lang; onLang: (lang: Lang) => void }) {
  const t = translator(lang);
  return (
    <button
      type="button"
      class="lang"
      lang={lang === 'en' ? 'zh-CN' : 'en'}
      onClick={() => onLang(lang === 'en' ? 'zh-CN' : 'en')}
    >
      {t('lang.switch')}
    </button>
  );
}
