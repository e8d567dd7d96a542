import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AgentApiProvider } from '../../src/api/AgentApiProvider.tsx';
import { createQueryClient } from '../../src/api/queries.ts';
import { I18nProvider } from '../../src/i18n/I18nProvider.tsx';
import { SessionKeeper } from '../../src/session/keeper.ts';
import type { SignedIn } from '../../src/session/SessionProvider.tsx';
import { apiSession, clientConfig, credentials } from './fake-fetch.ts';

/** A signed-in session as SessionProvider would hold it (its API token does not run out). */
export function fakeSignedIn(): SignedIn {
  const first = apiSession();
  return { credentials, config: clientConfig, account: first.account, keeper: new SessionKeeper(first, async () => apiSession('renewed')) };
}

/**
 * The providers SignedInApp puts around its screens, except the Matrix client: language, query
 * cache and the agent's API. `useSignedIn` is mocked by the test (vi.mock of SessionProvider).
 */
export function signedInWrapper(session: SignedIn, queryClient = createQueryClient()) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return (
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <AgentApiProvider keeper={session.keeper}>{children}</AgentApiProvider>
        </QueryClientProvider>
      </I18nProvider>
    );
  };
}

