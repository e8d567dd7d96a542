import { useI18n } from '../i18n/I18nProvider.tsx';
import { Alert } from './Alert.tsx';
import { Spinner } from './Spinner.tsx';

/** "Loading…" in the main pane, announced politely. */
export function PaneLoading() {
  const { t } = useI18n();
  return (
    <p className="pane-status" role="status">
      <Spinner small /> {t('loading')}
    </p>
  );
}

/** "Loading…" in a side panel's list (the list is marked busy meanwhile). */
export function PanelLoading() {
  const { t } = useI18n();
  return (
    <p className="panel-note">
      <Spinner small /> {t('loading')}
    </p>
  );
}

/** Why a side panel's list could not be loaded, and a button to try again. */
export function PanelFailure({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="panel-note">
      <Alert kind="error">{message}</Alert>
      <button type="button" className="button" onClick={onRetry}>
        {t('retry')}
      </button>
    </div>
  );
}
