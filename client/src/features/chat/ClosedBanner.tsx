import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export interface Closure {
  typification: { code: string; label: string } | null;
  closerName: string | null;
  closedAt: number | null;
}

/** Takes the composer's place in a closed chat: read-only, with its typification. */
export function ClosedBanner({ closure }: { closure: Closure }) {
  const { t, lang } = useI18n();
  const { typification, closerName, closedAt } = closure;
  return (
    <div className="closed-banner" role="status" data-testid="closed-banner">
      <p>
        <strong>{t('readOnly')}</strong>
      </p>
      {typification ? <p>{t('closedBanner', { code: typification.code, label: typification.label })}</p> : null}
      {closerName && closedAt ? <p className="muted">{t('closedBy', { name: closerName, date: formatDateTime(lang, new Date(closedAt)) })}</p> : null}
    </div>
  );
}
