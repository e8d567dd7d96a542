import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import { resetPassword } from '../../api/public.ts';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from 'react-router';
import { paths } from '../../router/paths.ts';
import { checkNewPassword } from './rules.ts';

type ResetState = { status: 'idle' } | { status: 'saving' } | { status: 'done'; username: string } | { status: 'failed'; message: string };

/** The page of a mailed link (`/restablecer-contrasena?token=…`): choose a new password. */
export function ResetPasswordPage({ token }: { token: string | null }) {
  const { t, lang } = useI18n();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [state, setState] = useState<ResetState>({ status: 'idle' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token || state.status === 'saving') return;
    const problem = checkNewPassword(password, repeat);
    if (problem) {
      setState({ status: 'failed', message: t(problem) });
      return;
    }
    setState({ status: 'saving' });
    try {
      const { username } = await resetPassword(token, password, lang);
      setState({ status: 'done', username });
    } catch (err) {
      const invalidLink = err instanceof ApiError && err.errcode === 'CHATTIGO_INVALID_TOKEN';
      setState({ status: 'failed', message: invalidLink ? t('resetInvalidToken') : errorText(err, t) });
    }
  };

  if (!token) {
    return (
      <PublicLayout title={t('resetTitle')}>
        <Alert kind="error">{t('resetNoToken')}</Alert>
        <p className="form-footer">
          <Link to={paths.forgot}>{t('forgotPasswordLink')}</Link>
        </p>
      </PublicLayout>
    );
  }
  return (
    <PublicLayout title={t('resetTitle')}>
      {state.status === 'done' ? (
        <Alert kind="success">{t('resetDone', { username: state.username })}</Alert>
      ) : (
        <>
          <p>{t('resetIntro')}</p>
          <form className="form" onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="reset-password">{t('newPassword')}</label>
              <input
                id="reset-password"
                type="password"
                autoComplete="new-password"
                minLength={8}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </div>
            <div className="field">
              <label htmlFor="reset-repeat">{t('repeatPassword')}</label>
              <input
                id="reset-repeat"
                type="password"
                autoComplete="new-password"
                minLength={8}
                value={repeat}
                onChange={(e) => setRepeat(e.target.value)}
                required
              />
            </div>
            {state.status === 'failed' ? <Alert kind="error">{state.message}</Alert> : null}
            <button type="submit" className="button primary wide" disabled={state.status === 'saving'}>
              {state.status === 'saving' ? t('resetSaving') : t('resetSubmit')}
            </button>
          </form>
        </>
      )}
      <p className="form-footer">
        <Link to={paths.login}>{t('backToLogin')}</Link>
      </p>
    </PublicLayout>
  );
}
