import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadScreenWords } from '../i18n';
import { useT } from '../ui/i18n';

/** A screen whose code is a separate chunk, fetched (or, offline, taken from the precache) on first use. */
export function lazyScreen<P extends object = object>(
  load: () => Promise<ComponentType<P>>,
): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyScreen(props: P) {
    const t = useT();
    const [Screen, setScreen] = useState(() => loaded);
    useEffect(() => {
      if (Screen) return;
      // A screen's Chinese words come with it (the gate's are in the app itself).
      void Promise.all([load(), loadScreenWords()]).then(([component]) => {
        loaded = component;
        setScreen(() => component);
      });
    }, [Screen]);
    return Screen ? <Screen {...props} /> : <p class="loading">{t('app.loading')}</p>;
  };
}
