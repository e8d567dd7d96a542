import { createClient, MemoryStore, type ICreateClientOpts, type MatrixClient } from 'matrix-js-sdk';
import { browserStorage } from '../util/web-storage.ts';
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
    // The SDK's default store reads globalThis.localStorage, which throws in a third-party iframe
    // where the browser blocks storage (embed mode): give it the storage only when it works.
    store: new MemoryStore({ localStorage: browserStorage('localStorage') }),
    logger: quietLogger('[matrix]'),
  });
  void client.startClient({ initialSyncLimit: 30, lazyLoadMembers: true });
  return client;
}

export function stopMatrixClient(client: MatrixClient): void {
  client.stopClient();
  client.removeAllListeners();
}
