import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../ui/i18n';

/** A screen whose code is a separate chunk, fetched (or, offline, taken from the precache) on first use. */
export function lazyScreen(load: () => Promise<() => JSX.Element>): () => JSX.Element {
  let loaded: (() => JSX.Element) | undefined;
  return function LazyScreen() {
    const t = useT();
    const [Screen, setScreen] = useState(() => loaded);
    useEffect(() => {
      if (Screen) return;
      void load().then((component) => {
        loaded = component;
        setScreen(() => component);
      });
    }, [Screen]);
    return Screen ? <Screen /> : <p class="loading">{t('app.loading')}</p>;
  };
}
