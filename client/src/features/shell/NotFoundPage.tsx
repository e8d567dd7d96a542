import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from 'react-router';
import { paths } from '../../router/paths.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <PublicLayout title={t('notFoundTitle')}>
      <p>
        <Link to={paths.home}>{t('goHome')}</Link>
      </p>
    </PublicLayout>
  );
}
