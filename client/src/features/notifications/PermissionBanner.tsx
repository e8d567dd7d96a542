import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useNotificationSettings } from './NotificationsProvider.tsx';

/**
 * A discreet offer, after login, to turn desktop notifications on: the browser's own question
 * only comes when the agent clicks (browsers ignore a request that no click started).
 */
export function PermissionBanner() {
  const { t } = useI18n();
  const { offerPermission, requestPermission, dismissOffer } = useNotificationSettings();
  if (!offerPermission) return null;
  return (
    <div className="permission-banner" role="region" aria-label={t('enableNotifications')}>
      <p>{t('enableNotificationsPrompt')}</p>
      <div className="permission-actions">
        <button type="button" className="button primary small" onClick={() => void requestPermission()}>
          {t('enableNotifications')}
        </button>
        <button type="button" className="button link" onClick={dismissOffer}>
          {t('notNow')}
        </button>
      </div>
    </div>
  );
}
