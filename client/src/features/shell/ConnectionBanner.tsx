import { SyncState } from 'matrix-js-sdk';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSyncState } from '../../matrix/hooks.ts';

/** Says so while the Matrix sync is not working (first connection, or connection lost). */
export function ConnectionBanner() {
  const { t } = useI18n();
  const sync = useSyncState();
  if (sync === SyncState.Error || sync === SyncState.Reconnecting) {
    return (
      <p className="connection-banner error" role="status">
        {t('connectionLost')}
      </p>
    );
  }
  if (sync === null) {
    return (
      <p className="connection-banner" role="status">
        {t('connecting')}
      </p>
    );
  }
  return null;
}
