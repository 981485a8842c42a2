import { useEffect, useMemo, useState } from 'preact/hooks';
import { getDb } from '../db/database';
import { readMeta, writeMeta } from '../db/settings';
import { type DeviceConfig, storedConfig } from '../domain/config';
import { DEFAULT_LANG, LANGS, type Lang, loadLang, translator } from '../i18n';
import { storageLow, storageUse } from '../pwa/persist';
import { registerServiceWorker } from '../pwa/register';
import { I18nContext } from '../ui/i18n';
import { InsecureNotice, UpdateBanner } from '../ui/notices';
import { lazyScreen } from './lazy-screen';
import { startRetention } from './retention-runner';
import { GateScreen } from './screens/gate';
import { LogScreen } from './screens/log';
import { SettingsScreen } from './screens/settings';
import { SetupScreen } from './screens/setup';
import { SyncScreen } from './screens/sync';
import { VisitorsScreen } from './screens/visitors';
import { type Direction, type Session, SessionContext } from './session';
import { ShiftLock } from './shift-lock';
import { startSyncRunner } from './sync-runner';
import { ROUTES, type Route, useRoute } from './use-route';
import { useShiftLock } from './use-shift-lock';

const SCREENS: Record<Route, () => preact.JSX.Element> = {
  gate: GateScreen,
  visitors: VisitorsScreen,
  log: LogScreen,
  sync: SyncScreen,
  settings: SettingsScreen,
  // The report loads when opened (once a day); the gate screen stays small.
  report: lazyScreen(() => import('./screens/report').then((module) => module.ReportScreen)),
  // The office (and the QR library it needs) loads only when opened: gates rarely do.
  office: lazyScreen(() => import('./screens/office').then((module) => module.OfficeScreen)),
};
const NAV_LABELS = {
  gate: 'nav.gate',
  visitors: 'nav.visitors',
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
  };
  const Screen = SCREENS[route];
  return (
    <I18nContext.Provider value={t}>
      <SessionContext.Provider value={session}>
        <div class="shell">
          <header class="topbar">
            <p class="topbar__place">
              <strong>{loaded.config.checkpoint.name}</strong> · {loaded.config.volunteer.name}
            </p>
            <LangToggle lang={lang} onLang={setLang} />
            {!shift.locked && (
              <button type="button" class="lang" onClick={shift.lock}>
                {t('shift.lock')}
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
          {shift.locked ? (
            <main class="content">
              <ShiftLock onUnlocked={shift.unlock} />
            </main>
          ) : (
            <>
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
