import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './http.ts';

/**
 * Server data in the signed-in app goes through TanStack Query: one cache per signed-in session
 * (see SignedInApp), requests aborted when nobody waits for them any more, a failed request
 * retried (but not an answer that says the request itself was wrong), and the keys below so that
 * a change (a chat opened or closed) can mark what it made stale.
 */
export const queryKeys = {
  /** `GET /api/v1/chats`: the chat list, invalidated after opening or closing a chat. */
  chats: ['chats'] as const,
  /** `GET /api/v1/chats/:roomId/typifications`: the catalog that closes this chat. */
  typifications: (roomId: string) => ['chats', roomId, 'typifications'] as const,
  /** `GET /api/v1/attachments/policy`: fetched once per session (it changes with the appservice's configuration). */
  attachmentPolicy: ['attachment-policy'] as const,
  /** `GET /api/v1/directory` for both sections, for one search text and campaign ('' = all). */
  directory: (q: string, campaign: string) => ['directory', q, campaign] as const,
  /** Synapse's search over the agent's chat rooms (`POST /_matrix/client/v3/search`). */
  chatSearch: (term: string, roomIds: readonly string[]) => ['chat-search', term, [...roomIds].sort()] as const,
  /** `GET /api/v1/reports` for one query (supervision). */
  report: (query: object) => ['report', query] as const,
  /** `GET /api/v1/review/chats` for one query. */
  reviewChats: (query: object) => ['review', 'chats', query] as const,
  /** `GET /api/v1/review/chats/:roomId`: each fetch is an audited review, so it is never refetched by itself. */
  reviewChat: (roomId: string) => ['review', 'chat', roomId] as const,
  /** `GET /api/v1/review/audit` (admins). */
  reviewAudit: ['review', 'audit'] as const,
  /** `GET /api/v1/supervision/sla`: refetched every half minute while the section is open. */
  sla: ['sla'] as const,
  /** An `mxc://` image, held as an object URL (revoked when the query leaves the cache). */
  media: (mxc: string, width: number, height: number) => ['media', mxc, width, height] as const,
};

/** Retry twice after a network error or a 5xx; an answer about the request itself (4xx) is final. */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        // Matrix events say when the appservice's data changed (see ChatsProvider); a window
        // coming back into focus says nothing.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  client.getQueryCache().subscribe((event) => {
    if (event.type === 'removed' && event.query.queryKey[0] === 'media') {
      const url: unknown = event.query.state.data;
      if (typeof url === 'string') URL.revokeObjectURL(url);
    }
  });
  return client;
}
