import { useT } from './i18n';

/** Shown instead of the app outside a secure context: what is wrong and what to do. */
export function InsecureNotice() {
  const t = useT();
  return (
    <main class="screen insecure">
      <h1>{t('insecure.title')}</h1>
      <p>{t('insecure.body')}</p>
      <p>
        <strong>{t('insecure.todo')}</strong>
      </p>
    </main>
  );
}

/** A new version is waiting; the volunteer decides when to switch. */
export function UpdateBanner({ onUpdate, onLater }: { onUpdate: () => void; onLater: () => void }) {
  const t = useT();
  return (
    <div class="banner" role="status">
      <p>
        {t('update.available')} {t('update.keep')}
      </p>
      <button type="button" class="primary" onClick={onUpdate}>
        {t('update.now')}
      </button>
      <button type="button" onClick={onLater}>
        {t('update.later')}
      </button>
    </div>
  );
}

/** What just happened ("已记录 36.5 °C"), announced politely; nothing when empty. */
export function StatusLine({ text }: { text: string }) {
  return text ? (
    <p class="status" role="status">
      {text}
    </p>
  ) : null;
}

/** Why something could not be done, announced at once; nothing when empty. */
export function FailureLine({ text }: { text: string }) {
  return text ? (
    <p class="issues" role="alert">
      {text}
    </p>
  ) : null;
}
