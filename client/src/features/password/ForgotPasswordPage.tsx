import { useState, type FormEvent } from 'react';
import { requestPasswordReset } from '../../api/public.ts';
import { errorText } from '../../components/ErrorText.ts';
import { UsernameField } from '../../components/Form.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { PasswordFormPage } from './PasswordFormPage.tsx';

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
    <PasswordFormPage
      title={t('forgotTitle')}
      intro={t('forgotIntro')}
      success={state.status === 'sent' ? state.message : null}
      error={state.status === 'failed' ? state.message : null}
      busy={state.status === 'sending'}
      submitLabel={t('forgotSubmit')}
      busyLabel={t('forgotSending')}
      onSubmit={submit}
      footnote={<p className="hint">{t('forgotNoEmail')}</p>}
    >
      <UsernameField
        id="forgot-identifier"
        label={t('forgotIdentifier')}
        name="identifier"
        value={identifier}
        onValueChange={setIdentifier}
      />
    </PasswordFormPage>
  );
}
