import { Suspense, type ReactNode } from 'react';
import {
  createBrowserRouter,
  data,
  isRouteErrorResponse,
  Navigate,
  Outlet,
  redirect,
  ScrollRestoration,
  useLocation,
  useParams,
  useRouteError,
  useSearchParams,
  type LoaderFunctionArgs,
  type RouteObject,
} from 'react-router';
import { FullPageStatus } from '../components/FullPageStatus.tsx';
import { loginCodeFrom } from '../features/login/code.ts';
import { CodeLoginPage } from '../features/login/CodeLoginPage.tsx';
import { LoginPage } from '../features/login/LoginPage.tsx';
import { NotFoundPage } from '../features/shell/NotFoundPage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { AgentPicker, ChatPage, ForgotPasswordPage, ResetPasswordPage, ReviewPage, SignedInApp, SupervisionPage } from '../lazy.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { loadCredentials } from '../session/storage.ts';
import { paths, roomIdParam, safeNext } from './paths.ts';

/** The loader of a route with a `:roomId`: the not-found page unless it is a room id. */
function roomIdOr404({ params }: LoaderFunctionArgs): null {
  if (!roomIdParam(params['roomId'])) throw data(null, { status: 404 });
  return null;
}

/**
 * The client's routes on react-router's data router (docs/decisions/0009-client-router-and-server-data.md). The
 * public pages are open to anyone; the signed-in ones sit under `RequireSession`, which sends a
 * visitor without a session to the login with `?siguiente=` set to where they were going. The
 * signed-in app (with matrix-js-sdk) and the password pages are separate chunks (`lazy.ts`).
 */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: paths.login, element: <LoginRoute /> },
      { path: paths.forgot, element: <Loading page={<ForgotPasswordPage />} /> },
      { path: paths.reset, element: <ResetRoute /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <Loading page={<SignedInApp />} />,
            children: [
              {
                index: true,
                // Without a stored login, `/` goes to the login before the first render (the
                // session guard would send there too, but a frame later).
                loader: () => (loadCredentials() ? null : redirect(paths.login)),
                element: <HomePane />,
              },
              { path: paths.home, element: <HomePane /> },
              { path: paths.picker, element: <AgentPicker /> },
              // Only a room id makes a chat path; anything else is the not-found page, signed in or not.
              { path: '/chats/:roomId', loader: roomIdOr404, element: <ChatPane /> },
              { path: paths.supervision, element: <SupervisionPage /> },
              { path: '/supervision/chats/:roomId', loader: roomIdOr404, element: <ReviewPane /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createAppRouter = () => createBrowserRouter(routes);

function Root() {
  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

function Loading({ page }: { page: ReactNode }) {
  const { t } = useI18n();
  return <Suspense fallback={<FullPageStatus message={t('loading')} />}>{page}</Suspense>;
}

/** While a stored login is being restored (or could not be), the screens that depend on it wait. */
function SessionPending() {
  const { state, retryRestore } = useSession();
  const { t } = useI18n();
  if (state.status === 'restoring') return <FullPageStatus message={t('restoringSession')} />;
  return <FullPageStatus message={t('networkError')} action={{ label: t('retry'), onClick: retryRestore }} />;
}

function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'restoring' || state.status === 'restore-failed') return <SessionPending />;
  if (state.status !== 'signed-in') {
    const current = location.pathname + location.search;
    const back = current === '/' || (state.status === 'signed-out' && state.loggedOut);
    return <Navigate to={back ? paths.login : paths.loginThen(current)} replace />;
  }
  return <Outlet />;
}

function LoginRoute() {
  const { state } = useSession();
  const [params] = useSearchParams();
  const location = useLocation();
  // A one-time code from the platform signs in without the form, whoever was signed in before.
  const code = loginCodeFrom(location);
  if (code !== null) return <CodeLoginPage code={code} next={safeNext(params.get('siguiente')) ?? paths.home} />;
  if (state.status === 'restoring' || state.status === 'restore-failed') return <SessionPending />;
  if (state.status === 'signed-in') return <Navigate to={safeNext(params.get('siguiente')) ?? paths.home} replace />;
  return <LoginPage notice={state.status === 'signed-out' ? state.notice : null} />;
}

function ResetRoute() {
  const [params] = useSearchParams();
  return <Loading page={<ResetPasswordPage token={params.get('token') || null} />} />;
}

function HomePane() {
  const { t } = useI18n();
  return <p className="pane-status">{t('selectChat')}</p>;
}

function ChatPane() {
  const roomId = roomIdParam(useParams()['roomId']);
  return roomId ? <ChatPage key={roomId} roomId={roomId} /> : <NotFoundPage />;
}

function ReviewPane() {
  const roomId = roomIdParam(useParams()['roomId']);
  return roomId ? <ReviewPage key={roomId} roomId={roomId} /> : <NotFoundPage />;
}

/** A path that names no chat (404 from a loader), or a page whose code could not be loaded. */
function RouteError() {
  const error = useRouteError();
  const { t } = useI18n();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <FullPageStatus message={t('networkError')} action={{ label: t('retry'), onClick: () => window.location.reload() }} />;
}
