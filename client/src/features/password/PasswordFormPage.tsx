import type { FormEvent, ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert.tsx';
import { SubmitButton } from '../../components/Form.tsx';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { paths } from '../../router/paths.ts';

type PasswordFormPageProps = {
  title: string;
  intro: string;
  /** Once the form has gone through: what to say in its place. */
  success: string | null;
  /** Why the last attempt failed, shown above the button. */
  error: string | null;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (event: FormEvent) => void;
  /** The fields. */
  children: ReactNode;
  /** Shown under the form. */
  footnote?: ReactNode;
};

/**
 * The frame of the two password pages ("¿Olvidó su contraseña?" and the mailed link's page): an
 * intro and a form until it succeeds, then the success message; always a way back to login.
 */
export function PasswordFormPage({ title, intro, success, error, busy, submitLabel, busyLabel, onSubmit, children, footnote }: PasswordFormPageProps) {
  const { t } = useI18n();
  return (
    <PublicLayout title={title}>
      {success !== null ? (
        <Alert kind="success">{success}</Alert>
      ) : (
        <>
          <p>{intro}</p>
          <form className="form" onSubmit={onSubmit} noValidate>
            {children}
            {error !== null ? <Alert kind="error">{error}</Alert> : null}
            <SubmitButton busy={busy} label={submitLabel} busyLabel={busyLabel} />
          </form>
          {footnote}
        </>
      )}
      <p className="form-footer">
        <Link to={paths.login}>{t('backToLogin')}</Link>
      </p>
    </PublicLayout>
  );
}
