import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DEFAULT_LANG, type Translate, translator } from '../i18n';

export const I18nContext = createContext<Translate>(translator(DEFAULT_LANG));

/** The translator of the language the volunteer chose. */
export const useT = () => useContext(I18nContext);
