import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../components/Alert.tsx';
import { FullPageStatus } from '../../components/FullPageStatus.tsx';
import { PublicLayout } from '../../components/PublicLayout.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { paths } from '../../router/paths.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { describeCodeFailure } from './code.ts';
import { logInWithCode, type LoggedIn } from './login.ts';

/**
 * A code is used once: the exchange for a code is started once per page load, however often the
 * component mounts (React's StrictMode mounts twice in development).
 */
const exchanges = new Map<string, Promise<LoggedIn>>();
function exchangeOnce(code: string, lang: string): Promise<LoggedIn> {
  let exchange = exchanges.get(code);
  if (!exchange) {
    exchange = logInWithCode(code, lang);
    exchanges.set(code, exchange);
  }
  return exchange;
}

/**
 * Signs in with a one-time code from the platform (the agent desktop), without a login form; a
 * refused code (used before, expired, invalid) gets a page that says so.
 */
export function CodeLoginPage({ code, next }: { code: string; next: string }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { signIn } = useSession();
  const [failure, setFailure] = useState<MessageKey | null>(code ? null : 'codeInvalid');

  useEffect(() => {
    if (!code) return;
    let active = true;
    exchangeOnce(code, lang).then(
      (result) => {
        if (!active) return;
        signIn(result.credentials, result.config, result.session);
        // Away from the code's URL, which would otherwise sign in again.
        void navigate(next, { replace: true });
      },
      (err: unknown) => {
        if (active) setFailure(describeCodeFailure(err));
      },
    );
    return () => {
      active = false;
    };
  }, [code, lang, signIn, navigate, next]);

  if (!failure) return <FullPageStatus message={t('codeSigningIn')} />;
  return (
    <PublicLayout title={t('codeFailedTitle')}>
      <Alert kind="error">{t(failure)}</Alert>
      <p className="form-footer">
        <Link to={paths.login}>{t('codeUsePassword')}</Link>
      </p>
    </PublicLayout>
  );
}
