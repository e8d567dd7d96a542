import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';

/** The frame of the screens before login: brand, language, one card. */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="public-layout">
      <header className="public-header">
        <p className="brand">
          Chattigo <span>· {t('appTitle')}</span>
        </p>
        <LanguageSelect />
      </header>
      <main className="public-card" id="main">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
