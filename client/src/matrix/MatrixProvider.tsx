import { HttpApiEvent, type MatrixClient } from 'matrix-js-sdk';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { MatrixCredentials } from '../api/public.ts';
import { startMatrixClient, stopMatrixClient } from './client.ts';

const MatrixContext = createContext<MatrixClient | null>(null);

/**
 * Starts the signed-in agent's MatrixClient for as long as it is mounted and provides it to the
 * tree. `onLoggedOut` runs when the homeserver no longer accepts the access token.
 */
export function MatrixProvider({
  credentials,
  onLoggedOut,
  children,
}: {
  credentials: MatrixCredentials;
  onLoggedOut(): void;
  children: ReactNode;
}) {
  const [client, setClient] = useState<MatrixClient | null>(null);

  useEffect(() => {
    const started = startMatrixClient(credentials);
    // The effect owns the client's lifetime (StrictMode's mount, unmount, mount starts and stops
    // it); the state only hands the running client to the tree.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setClient(started);
    return () => {
      stopMatrixClient(started);
      setClient(null);
    };
  }, [credentials]);

  useEffect(() => {
    if (!client) return;
    client.on(HttpApiEvent.SessionLoggedOut, onLoggedOut);
    return () => {
      client.off(HttpApiEvent.SessionLoggedOut, onLoggedOut);
    };
  }, [client, onLoggedOut]);

  if (!client) return null;
  return <MatrixContext.Provider value={client}>{children}</MatrixContext.Provider>;
}

/** The signed-in agent's MatrixClient; throws outside <MatrixProvider>. */
export function useMatrixClient(): MatrixClient {
  const client = useContext(MatrixContext);
  if (!client) throw new Error('useMatrixClient must be used inside <MatrixProvider>');
  return client;
}
