import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { SessionKeeper } from '../session/keeper.ts';
import { createAgentApi, type AgentApi } from './agent.ts';

const AgentApiContext = createContext<AgentApi | null>(null);

/** Provides the appservice API of the signed-in agent, in the UI language. */
export function AgentApiProvider({ keeper, children }: { keeper: SessionKeeper; children: ReactNode }) {
  const { lang } = useI18n();
  const api = useMemo(() => createAgentApi((options) => keeper.token(options), lang), [keeper, lang]);
  return <AgentApiContext.Provider value={api}>{children}</AgentApiContext.Provider>;
}

export function useAgentApi(): AgentApi {
  const api = useContext(AgentApiContext);
  if (!api) throw new Error('useAgentApi must be used inside <AgentApiProvider>');
  return api;
}
