// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionState } from '../../src/session/SessionProvider.tsx';

// The route table is under test, not the screens: those it loads lazily are stand-ins here.
vi.mock('../../src/lazy.ts', () => ({
  SignedInApp: () => (
    <div>
      signed-in shell <Outlet />
    </div>
  ),
  ChatPage: ({ roomId }: { roomId: string }) => <p>chat {roomId}</p>,
  AgentPicker: () => <p>picker</p>,
  ForgotPasswordPage: () => <p>forgot page</p>,
  ResetPasswordPage: ({ token }: { token: string | null }) => <p>reset page {token ?? 'no token'}</p>,
  SupervisionPage: () => <p>supervision</p>,
  ReviewPage: () => <p>review</p>,
}));
vi.mock('../../src/features/login/LoginPage.tsx', () => ({ LoginPage: ({ notice }: { notice: string | null }) => <p>login page {notice ?? ''}</p> }));
const session = vi.hoisted(() => ({ state: { status: 'signed-out', notice: null } as SessionState, retryRestore: () => undefined }));
vi.mock('../../src/session/SessionProvider.tsx', () => ({ useSession: () => session }));

const { routes } = await import('../../src/router/router.tsx');
const { I18nProvider } = await import('../../src/i18n/I18nProvider.tsx');

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

/** The app's routes at `url`, with the current location shown next to them. */
function renderAt(url: string) {
  const router = createMemoryRouter([{ element: <><Outlet /><Where /></>, children: routes }], { initialEntries: [url] });
  render(
    <I18nProvider>
      <RouterProvider router={router} />
    </I18nProvider>,
  );
  return router;
}
const where = () => screen.getByTestId('where').textContent;
const signedIn = { status: 'signed-in', session: {} } as SessionState;

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem('chattigo.lang', 'es');
  session.state = { status: 'signed-out', notice: null };
});
afterEach(cleanup);

describe('router', () => {
  it('sends a visitor without a session to the login, to come back afterwards', async () => {
    renderAt('/agentes');
    expect(await screen.findByText(/login page/)).toBeTruthy();
    expect(where()).toBe('/ingresar?siguiente=%2Fagentes');
  });

  it('sends to the plain login from / and after logging out', async () => {
    renderAt('/');
    await screen.findByText(/login page/);
    expect(where()).toBe('/ingresar');
    cleanup();
    session.state = { status: 'signed-out', notice: null, loggedOut: true };
    renderAt('/chats');
    await screen.findByText(/login page/);
    expect(where()).toBe('/ingresar');
  });

  it('follows ?siguiente= after login, but only to a path of this site', async () => {
    session.state = signedIn;
    renderAt('/ingresar?siguiente=%2Fagentes');
    expect(await screen.findByText('picker')).toBeTruthy();
    expect(where()).toBe('/agentes');
    cleanup();
    renderAt(`/ingresar?siguiente=${encodeURIComponent('//evil.example/x')}`);
    await screen.findByText(/signed-in shell/);
    expect(where()).toBe('/chats');
  });

  it('opens a chat by its room id, and shows not-found for any other chat path, signed in or not', async () => {
    session.state = signedIn;
    renderAt('/chats/!AbC%3Achattigo.test');
    expect(await screen.findByText('chat !AbC:chattigo.test')).toBeTruthy();
    cleanup();
    renderAt('/chats/not-a-room');
    expect(await screen.findByText('Página no encontrada')).toBeTruthy();
    cleanup();
    session.state = { status: 'signed-out', notice: null };
    renderAt('/chats/not-a-room');
    expect(await screen.findByText('Página no encontrada')).toBeTruthy();
    cleanup();
    renderAt('/nada');
    expect(await screen.findByText('Página no encontrada')).toBeTruthy();
  });

  it('serves the password pages without a session, the reset one with its token', async () => {
    renderAt('/restablecer-contrasena?token=abc_123');
    expect(await screen.findByText('reset page abc_123')).toBeTruthy();
    cleanup();
    renderAt('/olvido-contrasena');
    expect(await screen.findByText('forgot page')).toBeTruthy();
  });

  it('waits for a stored login to be restored before deciding', async () => {
    session.state = { status: 'restoring' };
    renderAt('/agentes');
    expect(await screen.findByText('Recuperando su sesión…')).toBeTruthy();
    expect(where()).toBe('/agentes');
  });
});
