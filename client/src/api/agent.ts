import { AttachmentPolicySchema } from '@chattigo/contracts/attachments';
import { ChatListSchema, ChatSchema, OpenedChatSchema, TypificationsSchema, type Typification } from '@chattigo/contracts/chats';
import { ContextRequestedSchema } from '@chattigo/contracts/context';
import { DirectoryPageSchema } from '@chattigo/contracts/directory';
import {
  ReportSchema,
  ReviewAuditSchema,
  ReviewChatListSchema,
  ReviewTranscriptSchema,
  type ReportQuery,
  type ReviewChatsQuery,
} from '@chattigo/contracts/reports';
import { SlaReportSchema } from '@chattigo/contracts/sla';
import { ApiError, errorFrom, NETWORK, requestJson, type JsonRequest } from './http.ts';

/** Where the agent API gets its session token: a fresh one, or a renewed one when `renew` is set. */
export type TokenSource = (options?: { renew?: boolean }) => Promise<string>;

export type DirectoryStatus = 'active' | 'inactive' | 'all';

export interface DirectoryQuery {
  q: string;
  status: DirectoryStatus;
  /** Only agents of this campaign (its id). */
  campaign?: string;
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
    listChats: (signal?: AbortSignal) => call((r) => requestJson('/api/v1/chats', ChatListSchema, r), signal ? { signal } : {}),

    /** "Mensaje directo": the open chat with `agent`, or a new one (in `campaign` when they share several). */
    openChat: (agent: string, campaign?: string) =>
      call((r) => requestJson('/api/v1/chats', OpenedChatSchema, r), { method: 'POST', body: campaign ? { agent, campaign } : { agent } }),

    /** Asks for a card about the customer chat `conversationId` at the top of the chat (added later, or not at all). */
    attachContext: (roomId: string, conversationId: string) =>
      call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}/context`, ContextRequestedSchema, r), {
        method: 'POST',
        body: { conversationId },
      }),

    getChat: (roomId: string, signal?: AbortSignal) =>
      call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}`, ChatSchema, r), signal ? { signal } : {}),

    typifications: async (roomId: string, signal?: AbortSignal): Promise<Typification[]> =>
      (
        await call(
          (r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}/typifications`, TypificationsSchema, r),
          signal ? { signal } : {},
        )
      ).typifications,

    closeChat: (roomId: string, code: string) =>
      call((r) => requestJson(`/api/v1/chats/${encodeURIComponent(roomId)}/close`, ChatSchema, r), { method: 'POST', body: { code } }),

    directory: (query: DirectoryQuery, signal?: AbortSignal) => {
      const params = new URLSearchParams({ status: query.status, limit: String(query.limit), offset: String(query.offset) });
      if (query.q.trim()) params.set('q', query.q.trim());
      if (query.campaign) params.set('campaign', query.campaign);
      return call((r) => requestJson(`/api/v1/directory?${params.toString()}`, DirectoryPageSchema, r), signal ? { signal } : {});
    },

    /** What files may be attached, and how large. */
    attachmentPolicy: (signal?: AbortSignal) => call((r) => requestJson('/api/v1/attachments/policy', AttachmentPolicySchema, r), signal ? { signal } : {}),

    /** Supervisors and admins: closed chats counted and timed (`GET /api/v1/reports`). */
    report: (query: ReportQuery, signal?: AbortSignal) =>
      call((r) => requestJson(`/api/v1/reports?${searchOf(query)}`, ReportSchema, r), signal ? { signal } : {}),

    /** The same report as a CSV file (the name comes from the server). */
    reportCsv: (query: ReportQuery) =>
      call(async (r): Promise<{ blob: Blob; filename: string }> => {
        let response: Response;
        try {
          response = await fetch(`/api/v1/reports/export.csv?${searchOf(query)}`, {
            headers: { authorization: `Bearer ${r.token ?? ''}`, 'accept-language': r.lang },
          });
        } catch {
          throw new ApiError(0, NETWORK, null);
        }
        if (!response.ok) throw errorFrom(response, await response.json().catch(() => undefined));
        const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'reporte.csv';
        return { blob: await response.blob(), filename };
      }),

    /** Chats a supervisor may review. */
    reviewChats: (query: ReviewChatsQuery, signal?: AbortSignal) =>
      call((r) => requestJson(`/api/v1/review/chats?${searchOf(query)}`, ReviewChatListSchema, r), signal ? { signal } : {}),

    /** A chat's history, read-only; every call is recorded as a review. */
    reviewChat: (roomId: string, signal?: AbortSignal) =>
      call((r) => requestJson(`/api/v1/review/chats/${encodeURIComponent(roomId)}`, ReviewTranscriptSchema, r), signal ? { signal } : {}),

    /** Admins: who reviewed which chat, when. */
    reviewAudit: (signal?: AbortSignal) => call((r) => requestJson('/api/v1/review/audit', ReviewAuditSchema, r), signal ? { signal } : {}),

    /** Supervisors and admins: questions past their answer-time SLA and the latest escalations. */
    sla: (signal?: AbortSignal) => call((r) => requestJson('/api/v1/supervision/sla', SlaReportSchema, r), signal ? { signal } : {}),

    /** The URL of the directory's live stream (EventSource cannot send headers, so the token goes in the query). */
    directoryEventsUrl: (token: string) => `/api/v1/directory/events?access_token=${encodeURIComponent(token)}`,
  };
}

export type AgentApi = ReturnType<typeof createAgentApi>;

/** A query string of the fields that are set. */
function searchOf(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}
