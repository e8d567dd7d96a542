import { useId } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function LanguageSelect() {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  return (
    <span className="language-select">
      <label htmlFor={id} className="visually-hidden">
        {t('language')}
      </label>
      <select id={id} value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'es')}>
        <option value="es" lang="es">
          Español
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </span>
  );
}
