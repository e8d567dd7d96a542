import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { errorText } from '../../components/ErrorText.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { useDebounced } from '../../util/useDebounced.ts';
import { appendPage, applyWorkload, emptySections, type Section, type Sections } from './directory-state.ts';
import { followDirectory } from './live.ts';

export const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 200;
const RELOAD_DELAY_MS = 300;

export type DirectoryLoad = { status: 'loading' } | { status: 'ready' } | { status: 'failed'; message: string };

/** The search and campaign of a directory request ('' = every campaign). */
const filterOf = (q: string, campaign: string) => ({ q, ...(campaign ? { campaign } : {}) });

/** A reload keeps as many agents on screen as were loaded (a new search starts with one page). */
const reloadSize = (loaded: Section | undefined) => Math.min(100, Math.max(PAGE_SIZE, loaded?.agents.length ?? 0));

/**
 * The picker's data: active and inactive agents matching `query` and `campaign` ('' = every
 * campaign; both searched by the appservice, accent- and case-insensitive, once the typing pauses),
 * kept current by the directory's live stream: a changed count is written into the cached sections,
 * anything else reloads them.
 */
export function useDirectory(query: string, campaign: string) {
  const api = useAgentApi();
  const { keeper } = useSignedIn();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const searched = useDebounced(query, SEARCH_DELAY_MS);
  const [moreError, setMoreError] = useState<unknown>(null);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const directory = useQuery({
    queryKey: queryKeys.directory(searched, campaign),
    queryFn: async ({ signal, queryKey }): Promise<Sections> => {
      const loaded = queryClient.getQueryData<Sections>(queryKey);
      const [active, inactive] = await Promise.all([
        api.directory({ ...filterOf(searched, campaign), status: 'active', limit: reloadSize(loaded?.active), offset: 0 }, signal),
        api.directory({ ...filterOf(searched, campaign), status: 'inactive', limit: reloadSize(loaded?.inactive), offset: 0 }, signal),
      ]);
      return {
        active: { agents: active.agents, total: active.total },
        inactive: { agents: inactive.agents, total: inactive.total },
        campaigns: active.campaigns,
      };
    },
    // While a new search loads, the last result stays on screen.
    placeholderData: keepPreviousData,
  });

  const reload = useCallback(() => {
    setMoreError(null);
    void queryClient.invalidateQueries({ queryKey: queryKeys.directory(searched, campaign) });
  }, [queryClient, searched, campaign]);

  const scheduleReload = useEffectEvent(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(reload, RELOAD_DELAY_MS);
  });
  const applyChanges = useEffectEvent((changes: Parameters<typeof applyWorkload>[1]) => {
    const key = queryKeys.directory(searched, campaign);
    const shown = queryClient.getQueryData<Sections>(key);
    if (!shown) return;
    const result = applyWorkload(shown, changes);
    if (result.sections !== shown) queryClient.setQueryData(key, result.sections);
    if (result.reload) scheduleReload();
  });

  // Live counts and activity.
  useEffect(() => {
    const stop = followDirectory(
      (token) => api.directoryEventsUrl(token),
      (renew) => keeper.token({ renew }),
      { onReady: () => scheduleReload(), onChanges: (changes) => applyChanges(changes) },
    );
    return () => {
      stop();
      clearTimeout(reloadTimer.current);
    };
  }, [api, keeper]);

  const loadMore = useCallback(
    async (status: 'active' | 'inactive') => {
      const key = queryKeys.directory(searched, campaign);
      const offset = queryClient.getQueryData<Sections>(key)?.[status].agents.length ?? 0;
      try {
        const page = await api.directory({ ...filterOf(searched, campaign), status, limit: PAGE_SIZE, offset });
        queryClient.setQueryData<Sections>(key, (current) => current && { ...current, [status]: appendPage(current[status], page) });
      } catch (err) {
        setMoreError(err);
      }
    },
    [api, queryClient, searched, campaign],
  );

  const failure = directory.error ?? moreError;
  const load: DirectoryLoad = failure
    ? { status: 'failed', message: errorText(failure, t) }
    : directory.data
      ? { status: 'ready' }
      : { status: 'loading' };
  return { sections: directory.data ?? emptySections, load, reload, loadMore };
}
