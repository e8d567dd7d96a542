import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/http.ts';
import { createApiSession, fetchClientConfig, matrixLogout, type MatrixCredentials } from '../api/public.ts';
import type { ClientConfig } from '@chattigo/contracts/client-config';
import type { Account, SessionResponse } from '@chattigo/contracts/session';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { SessionKeeper } from './keeper.ts';
import { clearCredentials, loadCredentials, saveCredentials } from './storage.ts';

export interface SignedIn {
  credentials: MatrixCredentials;
  config: ClientConfig;
  account: Account;
  keeper: SessionKeeper;
}

export type SessionState =
  | { status: 'restoring' }
  | { status: 'restore-failed' }
  | { status: 'signed-out'; notice: MessageKey | null; loggedOut?: boolean }
  | { status: 'signed-in'; session: SignedIn };

interface SessionContextValue {
  state: SessionState;
  signIn(credentials: MatrixCredentials, config: ClientConfig, first: SessionResponse): void;
  /** Logs out of Matrix (best effort) and forgets the login. */
  signOut(): Promise<void>;
  /** The login stopped working (revoked token, deactivated account): forget it and say so. */
  expire(): void;
  retryRestore(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** A Matrix token the appservice or Synapse no longer accepts. */
const isRejected = (err: unknown) => err instanceof ApiError && (err.status === 401 || err.status === 403);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  // What the asynchronous calls below read (they outlive the render that started them).
  const langRef = useRef(lang);
  useEffect(() => {
    langRef.current = lang;
  }, [lang]);
  const [state, setState] = useState<SessionState>(() =>
    loadCredentials() ? { status: 'restoring' } : { status: 'signed-out', notice: null },
  );
  const [attempt, setAttempt] = useState(0);

  const expire = useCallback(() => {
    clearCredentials();
    setState({ status: 'signed-out', notice: 'sessionExpired' });
  }, []);

  const makeKeeper = useCallback(
    (credentials: MatrixCredentials, first: SessionResponse) =>
      new SessionKeeper(first, async () => {
        try {
          return await createApiSession(credentials.accessToken, langRef.current);
        } catch (err) {
          if (isRejected(err)) expire();
          throw err;
        }
      }),
    [expire],
  );

  const signIn = useCallback(
    (credentials: MatrixCredentials, config: ClientConfig, first: SessionResponse) => {
      saveCredentials(credentials);
      setState({ status: 'signed-in', session: { credentials, config, account: first.account, keeper: makeKeeper(credentials, first) } });
    },
    [makeKeeper],
  );

  // A stored login: get the configuration and a new API session token for it.
  useEffect(() => {
    if (state.status !== 'restoring') return;
    // Only entered with stored credentials (the initial state and `retryRestore` check).
    const credentials = loadCredentials();
    if (!credentials) return;
    let cancelled = false;
    Promise.all([fetchClientConfig(langRef.current), createApiSession(credentials.accessToken, langRef.current)]).then(
      ([config, first]) => {
        if (!cancelled) setState({ status: 'signed-in', session: { credentials, config, account: first.account, keeper: makeKeeper(credentials, first) } });
      },
      (err: unknown) => {
        if (cancelled) return;
        if (isRejected(err)) expire();
        else setState({ status: 'restore-failed' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [state.status, attempt, makeKeeper, expire]);

  const signOut = useCallback(async () => {
    const credentials = loadCredentials();
    clearCredentials();
    if (credentials) await matrixLogout(credentials, langRef.current).catch(() => undefined);
    setState({ status: 'signed-out', notice: null, loggedOut: true });
  }, []);

  const retryRestore = useCallback(() => {
    setState(loadCredentials() ? { status: 'restoring' } : { status: 'signed-out', notice: null });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({ state, signIn, signOut, expire, retryRestore }),
    [state, signIn, signOut, expire, retryRestore],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The signed-in session; only for components rendered while signed in. */
export function useSignedIn(): SignedIn {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn used while not signed in');
  return state.session;
}
