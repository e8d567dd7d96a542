import { useState, type FormEvent } from 'react';
import { requestPasswordReset } from '../../api/public.ts';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from 'react-router';
import { paths } from '../../router/paths.ts';

type ForgotState = { status: 'idle' } | { status: 'sending' } | { status: 'sent'; message: string } | { status: 'failed'; message: string };

/**
 * "¿Olvidó su contraseña?": asks for a link by username or email. The answer is the same whether
 * or not the account or its email exists (the appservice words it).
 */
export function ForgotPasswordPage() {
  const { t, lang } = useI18n();
  const [identifier, setIdentifier] = useState('');
  const [state, setState] = useState<ForgotState>({ status: 'idle' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!identifier.trim() || state.status === 'sending') return;
    setState({ status: 'sending' });
    try {
      const { message } = await requestPasswordReset(identifier, lang);
      setState({ status: 'sent', message });
    } catch (err) {
      setState({ status: 'failed', message: errorText(err, t) });
    }
  };

  return (
    <PublicLayout title={t('forgotTitle')}>
      {state.status === 'sent' ? (
        <Alert kind="success">{state.message}</Alert>
      ) : (
        <>
          <p>{t('forgotIntro')}</p>
          <form className="form" onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="forgot-identifier">{t('forgotIdentifier')}</label>
              <input
                id="forgot-identifier"
                name="identifier"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={identifier}
                onChange={(e) => setIdentifier(e.target.value)}
                required
              />
            </div>
            {state.status === 'failed' ? <Alert kind="error">{state.message}</Alert> : null}
            <button type="submit" className="button primary wide" disabled={state.status === 'sending'}>
              {state.status === 'sending' ? t('forgotSending') : t('forgotSubmit')}
            </button>
          </form>
          <p className="hint">{t('forgotNoEmail')}</p>
        </>
      )}
      <p className="form-footer">
        <Link to={paths.login}>{t('backToLogin')}</Link>
      </p>
    </PublicLayout>
  );
}
