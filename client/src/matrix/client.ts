import { createClient, type ICreateClientOpts, type MatrixClient } from 'matrix-js-sdk';
import type { MatrixCredentials } from '../api/public.ts';

/**
 * The one place a MatrixClient is created, started and stopped. No crypto is ever initialised
 * (the chat rooms are not encrypted), so matrix-js-sdk's WebAssembly crypto is never fetched.
 */

type Logger = NonNullable<ICreateClientOpts['logger']>;

/** matrix-js-sdk logs every sync step; keep warnings and errors only, with a prefix. */
function quietLogger(prefix: string): Logger {
  const ignore = () => undefined;
  return {
    trace: ignore,
    debug: ignore,
    info: ignore,
    // eslint-disable-next-line no-console -- the browser console is the SDK's only log sink
    warn: (...msg: unknown[]) => console.warn(prefix, ...msg),
    // eslint-disable-next-line no-console -- idem
    error: (...msg: unknown[]) => console.error(prefix, ...msg),
    getChild: (namespace: string) => quietLogger(`${prefix} ${namespace}`),
  };
}

export function startMatrixClient(credentials: MatrixCredentials): MatrixClient {
  const client = createClient({
    baseUrl: credentials.homeserverUrl,
    accessToken: credentials.accessToken,
    userId: credentials.userId,
    deviceId: credentials.deviceId,
    timelineSupport: true,
    logger: quietLogger('[matrix]'),
  });
  void client.startClient({ initialSyncLimit: 30, lazyLoadMembers: true });
  return client;
}

export function stopMatrixClient(client: MatrixClient): void {
  client.stopClient();
  client.removeAllListeners();
}
