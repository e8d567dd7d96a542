import { ApiError, requestJson, type JsonRequest } from './http.ts';
import { AttachmentPolicy, Chat, ChatList, DirectoryPage, OpenedChat, Typifications, type Typification } from './schemas.ts';

/** Where the agent API gets its session token: a fresh one, or a renewed one when `renew` is set. */
export type TokenSource = (options?: { renew?: boolean }) => Promise<string>;

export type DirectoryStatus = 'active' | 'inactive' | 'all';

export interface DirectoryQuery {
  q: string;
  status: DirectoryStatus;
  limit: number;
  offset: number;
}

/**
 * The appservice calls an agent makes with an API session token. A 401 (the token ran out
 * between the check and the call) renews the token once and repeats the call.
 */
export function createAgentApi(tokens: TokenSource, lang: string) {
  async function call<T>(send: (request: JsonRequest) => Promise<T>, extra: Omit<JsonRequest, 'lang' | 'token'> = {}): Promise<T> {
    try {
      return await send({ ...extra, lang, token: await tokens() });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      return send({ ...extra, lang, token: await tokens({ renew: true }) });
    }
  }

  return {
    listChats: (signal?: AbortSignal) => call((r) => requestJson('/api/v1/chats', ChatList, r), signal ? { signal } : {}),

    /** "Mensaje directo": the open chat with `agent`, or a new one (in `campaign` when they share several). */
    openChat: (agent: string, campaign?: string) =>
      call((r) => requestJson('/api/v1/chats', OpenedChat, r), { method: 'POST', body: campaign ? { agent, campaign } : { agent } }),

    getChat: (roomId: string) => call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}`, Chat, r)),

    typifications: async (roomId: string): Promise<Typification[]> =>
      (await call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}/typifications`, Typifications, r))).typifications,

    closeChat: (roomId: string, code: string) =>
      call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}/close`, Chat, r), { method: 'POST', body: { code } }),

    directory: (query: DirectoryQuery, signal?: AbortSignal) => {
      const params = new URLSearchParams({ status: query.status, limit: String(query.limit), offset: String(query.offset) });
      if (query.q.trim()) params.set('q', query.q.trim());
      return call((r) => requestJson(`/api/v1/directory?${params.toString()}`, DirectoryPage, r), signal ? { signal } : {});
    },

    /** What files may be attached, and how large. */
    attachmentPolicy: () => call((r) => requestJson('/api/v1/attachments/policy', AttachmentPolicy, r)),

    /** The URL of the directory's live stream (EventSource cannot send headers, so the token goes in the query). */
    directoryEventsUrl: (token: string) => `/api/v1/directory/events?access_token=${encodeURIComponent(token)}`,
  };
}

export type AgentApi = ReturnType<typeof createAgentApi>;
