// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../src/i18n/I18nProvider.tsx';
import type { SessionKeeper } from '../../src/session/keeper.ts';
import { SessionProvider, useSession } from '../../src/session/SessionProvider.tsx';
import { loadCredentials, saveCredentials } from '../../src/session/storage.ts';
import { account, apiSession, clientConfig, credentials, fakeFetch } from '../helpers/fake-fetch.ts';

/** Shows the session state and offers its actions. */
function Probe() {
  const { state, retryRestore, signOut, expire, signIn } = useSession();
  return (
    <div>
      <p data-testid="status">{state.status}</p>
      {state.status === 'signed-in' ? <p data-testid="who">{state.session.account.displayName}</p> : null}
      {state.status === 'signed-out' ? <p data-testid="notice">{`${state.notice ?? 'none'}${state.loggedOut ? ' loggedOut' : ''}`}</p> : null}
      <button onClick={retryRestore}>retry</button>
      <button onClick={() => void signOut()}>sign out</button>
      <button onClick={expire}>expire</button>
      <button onClick={() => signIn(credentials, clientConfig, apiSession('first'))}>sign in</button>
    </div>
  );
}

const renderSession = () =>
  render(
    <I18nProvider>
      <SessionProvider>
        <Probe />
      </SessionProvider>
    </I18nProvider>,
  );
const status = () => screen.getByTestId('status').textContent;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('SessionProvider', () => {
  it('starts signed out without a stored login, and signs in and out', async () => {
    const server = fakeFetch({ 'POST /_matrix/client/v3/logout': () => ({ body: {} }) });
    renderSession();
    expect(status()).toBe('signed-out');
    fireEvent.click(screen.getByText('sign in'));
    expect(status()).toBe('signed-in');
    expect(screen.getByTestId('who').textContent).toBe(account.displayName);
    expect(loadCredentials()).toEqual(credentials);

    fireEvent.click(screen.getByText('sign out'));
    await waitFor(() => expect(status()).toBe('signed-out'));
    expect(screen.getByTestId('notice').textContent).toBe('none loggedOut');
    expect(loadCredentials()).toBeNull();
    expect(server.to('POST /_matrix/client/v3/logout')).toHaveLength(1);
  });

  it('restores a stored login: the configuration and a new API session for the Matrix token', async () => {
    saveCredentials(credentials);
    const server = fakeFetch({
      'GET /api/v1/client-config': () => ({ body: clientConfig }),
      'POST /api/v1/session': () => ({ body: apiSession() }),
    });
    renderSession();
    expect(status()).toBe('restoring');
    await waitFor(() => expect(status()).toBe('signed-in'));
    expect(server.to('POST /api/v1/session')).toHaveLength(1);
  });

  it('offers a retry when the restore cannot reach the server, and keeps the login', async () => {
    saveCredentials(credentials);
    let up = false;
    fakeFetch({
      'GET /api/v1/client-config': () => (up ? { body: clientConfig } : { status: 503, body: { errcode: 'M_UNKNOWN' } }),
      'POST /api/v1/session': () => ({ body: apiSession() }),
    });
    renderSession();
    await waitFor(() => expect(status()).toBe('restore-failed'));
    expect(loadCredentials()).toEqual(credentials);
    up = true;
    fireEvent.click(screen.getByText('retry'));
    await waitFor(() => expect(status()).toBe('signed-in'));
  });

  it('forgets a login the server no longer accepts, and says the session expired', async () => {
    saveCredentials(credentials);
    fakeFetch({
      'GET /api/v1/client-config': () => ({ body: clientConfig }),
      'POST /api/v1/session': () => ({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Token desconocido' } }),
    });
    renderSession();
    await waitFor(() => expect(status()).toBe('signed-out'));
    expect(screen.getByTestId('notice').textContent).toBe('sessionExpired');
    expect(loadCredentials()).toBeNull();
  });

  it('renews the API token through the keeper and expires the session when the Matrix token is refused', async () => {
    fakeFetch({ 'POST /api/v1/session': () => ({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } }) });
    const held: { keeper: SessionKeeper | null } = { keeper: null };
    function Keeper() {
      const { state } = useSession();
      useEffect(() => {
        if (state.status === 'signed-in') held.keeper = state.session.keeper;
      }, [state]);
      return null;
    }
    render(
      <I18nProvider>
        <SessionProvider>
          <Probe />
          <Keeper />
        </SessionProvider>
      </I18nProvider>,
    );
    fireEvent.click(screen.getByText('sign in'));
    await waitFor(() => expect(held.keeper).not.toBeNull());
    await act(async () => {
      await expect(held.keeper?.token({ renew: true })).rejects.toThrow();
    });
    expect(status()).toBe('signed-out');
    expect(screen.getByTestId('notice').textContent).toBe('sessionExpired');
  });
});
