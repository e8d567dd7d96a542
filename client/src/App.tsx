import { Suspense, useEffect } from 'react';
import { FullPageStatus } from './components/FullPageStatus.tsx';
import { LoginPage } from './features/login/LoginPage.tsx';
import { NotFoundPage } from './features/shell/NotFoundPage.tsx';
import { useI18n } from './i18n/I18nProvider.tsx';
import { ForgotPasswordPage, ResetPasswordPage, SignedInApp } from './lazy.ts';
import { useRouter } from './router/Router.tsx';
import { needsSession, paths } from './router/routes.ts';
import { useSession } from './session/SessionProvider.tsx';

function Redirect({ to }: { to: string }) {
  const { navigate } = useRouter();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
}

/** Picks the screen for the route and the session: signed-in routes wait for a session. */
export function App() {
  const { route, current } = useRouter();
  const { state, retryRestore } = useSession();
  const { t } = useI18n();
  const loading = <FullPageStatus message={t('loading')} />;

  if (state.status === 'restoring' && (needsSession(route) || route.name === 'login')) {
    return <FullPageStatus message={t('restoringSession')} />;
  }
  if (state.status === 'restore-failed' && (needsSession(route) || route.name === 'login')) {
    return <FullPageStatus message={t('networkError')} action={{ label: t('retry'), onClick: retryRestore }} />;
  }

  if (needsSession(route)) {
    if (state.status !== 'signed-in') {
      const back = current === '/' || (state.status === 'signed-out' && state.loggedOut);
      return <Redirect to={back ? paths.login : paths.loginThen(current)} />;
    }
    return (
      <Suspense fallback={loading}>
        <SignedInApp route={route} />
      </Suspense>
    );
  }
  switch (route.name) {
    case 'login':
      if (state.status === 'signed-in') return <Redirect to={route.next ?? paths.home} />;
      return <LoginPage notice={state.status === 'signed-out' ? state.notice : null} />;
    case 'forgot':
      return (
        <Suspense fallback={loading}>
          <ForgotPasswordPage />
        </Suspense>
      );
    case 'reset':
      return (
        <Suspense fallback={loading}>
          <ResetPasswordPage token={route.token} />
        </Suspense>
      );
    default:
      return <NotFoundPage />;
  }
}
