import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { messages, type Language, type MessageKey } from './messages.ts';

interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: MessageKey): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const saved = localStorage.getItem('chattigo.lang');
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang(next) {
        localStorage.setItem('chattigo.lang', next);
        document.documentElement.lang = next;
        setLangState(next);
      },
      t: (key) => messages[lang][key],
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
