import { useQuery } from '@tanstack/react-query';
import { SearchOrderBy } from 'matrix-js-sdk';
import { Check } from 'typebox/schema';
import { ApiError, BAD_RESPONSE } from '../../api/http.ts';
import { queryKeys } from '../../api/queries.ts';
import { RoomEventsSearchSchema } from '../../api/schemas.ts';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { useDebounced } from '../../util/useDebounced.ts';
import { MIN_SEARCH_CHARS, searchHits, searchRequest, searchWords, type SearchHit } from './search.ts';

const DEBOUNCE_MS = 300;

export type ChatSearchState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'done'; term: string; hits: SearchHit[]; words: string[] }
  | { status: 'failed'; error: unknown };

/**
 * Synapse's server-side search over the agent's chat rooms for what is typed, once the typing
 * pauses; a request whose text has changed meanwhile is aborted (TanStack Query cancels a query
 * nobody observes any more, and the signal goes to the SDK's fetch).
 */
export function useChatSearch(text: string, roomIds: readonly string[], botUserId: string): ChatSearchState {
  const client = useMatrixClient();
  const term = useDebounced(text.trim(), DEBOUNCE_MS);
  const enabled = term.length >= MIN_SEARCH_CHARS && roomIds.length > 0;
  const query = useQuery({
    queryKey: queryKeys.chatSearch(term, roomIds),
    enabled,
    retry: 1,
    staleTime: 30_000,
    queryFn: async ({ signal }) => {
      const body = { search_categories: { room_events: { ...searchRequest(term, roomIds, botUserId), order_by: SearchOrderBy.Recent } } };
      const answer: unknown = await client.search({ body }, signal);
      if (!Check(RoomEventsSearchSchema, answer)) throw new ApiError(200, BAD_RESPONSE, null);
      return { term, hits: searchHits(answer), words: searchWords(term, answer.search_categories.room_events.highlights) };
    },
  });
  if (text.trim().length < MIN_SEARCH_CHARS) return { status: 'idle' };
  if (!enabled && roomIds.length === 0) return { status: 'done', term: text.trim(), hits: [], words: [] };
  if (query.data && term === text.trim()) return { status: 'done', ...query.data };
  if (query.error && term === text.trim()) return { status: 'failed', error: query.error };
  return { status: 'searching' };
}
