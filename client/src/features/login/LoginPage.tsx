import { useId, useRef, useState, type FormEvent } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { SubmitButton, TextField, UsernameField } from '../../components/Form.tsx';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { loadSignedInApp } from '../../lazy.ts';
import { Link } from 'react-router';
import { paths } from '../../router/paths.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { describeLoginFailure, logIn, type ShownError } from './login.ts';

type LoginState = { status: 'idle' } | { status: 'submitting' } | { status: 'failed'; error: ShownError };

/** Username and password; once signed in, App sends the person where they were going (or to the chats). */
export function LoginPage({ notice }: { notice: MessageKey | null }) {
  const { t, lang } = useI18n();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [state, setState] = useState<LoginState>({ status: 'idle' });
  const prefetched = useRef(false);
  const errorId = useId();
  const usernameRef = useRef<HTMLInputElement>(null);

  // Fetch the signed-in app (and matrix-js-sdk) while the person types.
  const prefetch = () => {
    if (prefetched.current) return;
    prefetched.current = true;
    void loadSignedInApp().catch(() => {
      prefetched.current = false;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (state.status === 'submitting') return;
    if (!username.trim() || !password) {
      setState({ status: 'failed', error: { key: 'loginMissingFields' } });
      return;
    }
    prefetch();
    setState({ status: 'submitting' });
    try {
      const result = await logIn(username, password, lang);
      signIn(result.credentials, result.config, result.session);
    } catch (err) {
      setState({ status: 'failed', error: describeLoginFailure(err) });
      setPassword('');
      usernameRef.current?.focus();
    }
  };

  const failed = state.status === 'failed';
  return (
    <PublicLayout title={t('loginTitle')}>
      <p>{t('loginIntro')}</p>
      {notice && !failed ? <Alert kind="info">{t(notice)}</Alert> : null}
      <form className="form" onSubmit={submit} onFocus={prefetch} noValidate aria-describedby={failed ? errorId : undefined}>
        <UsernameField
          ref={usernameRef}
          id="login-username"
          label={t('username')}
          name="username"
          value={username}
          onValueChange={setUsername}
          aria-invalid={failed || undefined}
        />
        <TextField
          id="login-password"
          label={t('password')}
          name="password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="current-password"
          value={password}
          onValueChange={setPassword}
          aria-invalid={failed || undefined}
        >
          <label className="checkbox">
            <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
            {t('showPassword')}
          </label>
        </TextField>
        {failed ? (
          <Alert kind="error" id={errorId}>
            {state.error.text ?? t(state.error.key, state.error.vars)}
          </Alert>
        ) : null}
        <SubmitButton busy={state.status === 'submitting'} label={t('loginSubmit')} busyLabel={t('loggingIn')} />
      </form>
      <p className="form-footer">
        <Link to={paths.forgot}>{t('forgotPasswordLink')}</Link>
      </p>
    </PublicLayout>
  );
}
