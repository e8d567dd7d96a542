import { useEffect, useState } from 'react';
import { useI18n } from './i18n/I18nProvider.tsx';

type Health = { state: 'loading' } | { state: 'ready' } | { state: 'unavailable' };

export function App() {
  const { t, lang, setLang } = useI18n();
  const [health, setHealth] = useState<Health>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetch('/health/ready', { signal: controller.signal })
      .then((response) => setHealth({ state: response.ok ? 'ready' : 'unavailable' }))
      .catch(() => {
        if (!controller.signal.aborted) setHealth({ state: 'unavailable' });
      });
    return () => controller.abort();
  }, []);

  return (
    <main className="shell">
      <header className="toolbar">
        <h1>Chattigo · {t('appTitle')}</h1>
        <label>
          <span className="visually-hidden">{t('language')}</span>
          <select value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'es')}>
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <section aria-live="polite" data-testid="server-status">
        <h2>{t('serverStatus')}</h2>
        <p>
          {health.state === 'loading' ? t('loading') : health.state === 'ready' ? t('serverReady') : t('serverUnavailable')}
        </p>
      </section>
    </main>
  );
}
