import { useState } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { LanguageSelect } from '../../components/LanguageSelect.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useMatch, useNavigate } from 'react-router';
import { paths } from '../../router/paths.ts';
import { useSession, useSignedIn } from '../../session/SessionProvider.tsx';
import { NotificationMenu } from '../notifications/NotificationMenu.tsx';

/**
 * The toolbar: the agent's chats, language, logout, and — last, as in Chattigo's own toolbar —
 * the internal-chat button that opens the agent picker.
 */
export function Toolbar() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useMatch(paths.home);
  const index = useMatch('/');
  const picker = useMatch(paths.picker);
  const supervision = useMatch(`${paths.supervision}/*`);
  const { account } = useSignedIn();
  const { signOut } = useSession();
  const [leaving, setLeaving] = useState(false);

  return (
    <header className="toolbar">
      <h1 className="brand">
        Chattigo <span className="brand-sub">· {t('appTitle')}</span>
      </h1>
      <nav className="toolbar-actions" aria-label={t('mainNavigation')}>
        <span className="who" title={t('signedInAs', { name: account.displayName })}>
          <span className="visually-hidden">{t('signedInAs', { name: account.displayName })}</span>
          <span aria-hidden="true">{account.displayName}</span>
        </span>
        <button type="button" className="toolbar-button chats-button" onClick={() => void navigate(paths.home)} aria-current={list || index ? 'page' : undefined}>
          <Icon name="chats" /> <span className="label">{t('myChats')}</span>
        </button>
        {account.role === 'supervisor' || account.role === 'admin' ? (
          <button
            type="button"
            className="toolbar-button supervision-button"
            onClick={() => void navigate(paths.supervision)}
            aria-current={supervision ? 'page' : undefined}
          >
            <Icon name="chart" /> <span className="label">{t('supervision')}</span>
          </button>
        ) : null}
        <NotificationMenu />
        <LanguageSelect />
        <button
          type="button"
          className="toolbar-button"
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            void signOut();
          }}
        >
          <Icon name="logout" /> <span className="label">{leaving ? t('loggingOut') : t('logout')}</span>
        </button>
        <button
          type="button"
          className="toolbar-button picker-button"
          onClick={() => void navigate(paths.picker)}
          aria-label={t('openPickerLabel')}
          aria-current={picker ? 'page' : undefined}
        >
          <Icon name="agents" /> <span className="label">{t('openPicker')}</span>
        </button>
      </nav>
    </header>
  );
}
