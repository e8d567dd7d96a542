import { useCallback, useEffect, useRef, useState } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import type { DirectoryStatus } from '../../api/agent.ts';
import { errorText } from '../../components/ErrorText.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { appendPage, applyWorkload, emptySections, type Sections } from './directory-state.ts';
import { followDirectory } from './live.ts';

export const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 200;
const RELOAD_DELAY_MS = 300;

export type DirectoryLoad = { status: 'loading' } | { status: 'ready' } | { status: 'failed'; message: string };

/**
 * The picker's data: active and inactive agents matching `query` (searched by the appservice,
 * accent- and case-insensitive), kept current by the directory's live stream.
 */
export function useDirectory(query: string) {
  const api = useAgentApi();
  const { keeper } = useSignedIn();
  const { t } = useI18n();
  const [sections, setSections] = useState<Sections>(emptySections);
  const [load, setLoad] = useState<DirectoryLoad>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const sectionsRef = useRef(sections);
  sectionsRef.current = sections;
  const lastQuery = useRef<string | null>(null);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    const typed = lastQuery.current !== null && lastQuery.current !== query;
    lastQuery.current = query;
    const timer = setTimeout(
      async () => {
        // A reload keeps as many agents on screen as were loaded.
        const size = (status: DirectoryStatus) =>
          typed ? PAGE_SIZE : Math.min(100, Math.max(PAGE_SIZE, sectionsRef.current[status === 'active' ? 'active' : 'inactive'].agents.length));
        try {
          const [active, inactive] = await Promise.all(
            (['active', 'inactive'] as const).map((status) =>
              api.directory({ q: query, status, limit: size(status), offset: 0 }, controller.signal),
            ),
          );
          if (!active || !inactive) return;
          setSections({ active: { agents: active.agents, total: active.total }, inactive: { agents: inactive.agents, total: inactive.total } });
          setLoad({ status: 'ready' });
        } catch (err) {
          if (!controller.signal.aborted) setLoad({ status: 'failed', message: errorText(err, t) });
        }
      },
      typed ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, query, reloads, t]);

  // Live counts and activity.
  useEffect(() => {
    const scheduleReload = () => {
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(reload, RELOAD_DELAY_MS);
    };
    const stop = followDirectory(
      (token) => api.directoryEventsUrl(token),
      (renew) => keeper.token({ renew }),
      {
        onReady: scheduleReload,
        onChanges: (changes) => {
          const result = applyWorkload(sectionsRef.current, changes);
          if (result.sections !== sectionsRef.current) {
            sectionsRef.current = result.sections;
            setSections(result.sections);
          }
          if (result.reload) scheduleReload();
        },
      },
    );
    return () => {
      stop();
      clearTimeout(reloadTimer.current);
    };
  }, [api, keeper, reload]);

  const loadMore = useCallback(
    async (status: 'active' | 'inactive') => {
      const section = sectionsRef.current[status];
      try {
        const page = await api.directory({ q: query, status, limit: PAGE_SIZE, offset: section.agents.length });
        setSections((current) => ({ ...current, [status]: appendPage(current[status], page) }));
      } catch (err) {
        setLoad({ status: 'failed', message: errorText(err, t) });
      }
    },
    [api, query, t],
  );

  return { sections, load, reload, loadMore };
}
