import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useNotificationSettings } from './NotificationsProvider.tsx';

/** The toolbar's alert preferences: desktop notifications and sound, with the browser's permission. */
export function NotificationMenu() {
  const { t } = useI18n();
  const { preferences, setPreference, saveFailed, permission, requestPermission } = useNotificationSettings();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  // Closes on Escape and on a click elsewhere.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div className="menu" ref={root}>
      <button
        type="button"
        className="toolbar-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('notificationSettingsLabel')}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="bell" /> <span className="label">{t('notificationSettings')}</span>
      </button>
      {open ? (
        <div className="menu-panel" id={panelId} role="group" aria-label={t('notificationSettingsLabel')}>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={preferences.desktop}
              onChange={(e) => {
                setPreference('desktop', e.target.checked);
                if (e.target.checked && permission === 'default') void requestPermission();
              }}
            />
            {t('prefDesktop')}
          </label>
          {permission === 'denied' ? <p className="menu-note">{t('permissionDenied')}</p> : null}
          {permission === 'unsupported' ? <p className="menu-note">{t('permissionUnsupported')}</p> : null}
          <label className="checkbox">
            <input type="checkbox" checked={preferences.sound} onChange={(e) => setPreference('sound', e.target.checked)} />
            {t('prefSound')}
          </label>
          {saveFailed ? (
            <p className="menu-note error" role="alert">
              {t('prefSaveFailed')}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
