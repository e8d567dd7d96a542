import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import { resetPassword } from '../../api/public.ts';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { TextField } from '../../components/Form.tsx';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from 'react-router';
import { paths } from '../../router/paths.ts';
import { PasswordFormPage } from './PasswordFormPage.tsx';
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
    <PasswordFormPage
      title={t('resetTitle')}
      intro={t('resetIntro')}
      success={state.status === 'done' ? t('resetDone', { username: state.username }) : null}
      error={state.status === 'failed' ? state.message : null}
      busy={state.status === 'saving'}
      submitLabel={t('resetSubmit')}
      busyLabel={t('resetSaving')}
      onSubmit={submit}
    >
      <NewPasswordField id="reset-password" label={t('newPassword')} value={password} onValueChange={setPassword} />
      <NewPasswordField id="reset-repeat" label={t('repeatPassword')} value={repeat} onValueChange={setRepeat} />
    </PasswordFormPage>
  );
}

function NewPasswordField(props: { id: string; label: string; value: string; onValueChange: (value: string) => void }) {
  return <TextField {...props} type="password" autoComplete="new-password" minLength={8} />;
}
