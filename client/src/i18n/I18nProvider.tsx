import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '@chattigo/contracts/language';
import { translate, type MessageKey, type MessageVars } from './messages.ts';
import { webStorage } from '../util/web-storage.ts';

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: MessageKey, vars?: MessageVars): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'chattigo.lang';

/** Spanish unless the person chose English here before, or the browser asks for English. */
function initialLanguage(): Language {
  const saved = webStorage('localStorage').getItem(STORAGE_KEY);
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang(next) {
        webStorage('localStorage').setItem(STORAGE_KEY, next);
        setLangState(next);
      },
      t: (key, vars) => translate(lang, key, vars),
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nProvider>');
  return i18n;
}
