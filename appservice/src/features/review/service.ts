import type { ReviewAudit, ReviewChat, ReviewChatsQuery, ReviewMessage, ReviewTranscript } from '@chattigo/contracts/reports';
import { Method } from 'matrix-js-sdk';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { composeNotice, sharedLanguage, type LanguageOf, type NoticeService } from '../../matrix/notices.ts';
import { isTransient } from '../../matrix/transient.ts';
import type { Logger } from '../../observability/logger.ts';
import { forbidden, supervises, type ReportService, type Viewer } from '../reports/index.ts';
import { createReviewRepository, type ReviewRepository } from './repository.ts';

/** Most events read for one review (pages of 100, newest first). */
export const MAX_REVIEW_EVENTS = 1000;
const PAGE = 100;

const MessagesPage = Type.Object(
  {
    chunk: Type.Array(
      Type.Object(
        {
          event_id: Type.String(),
          type: Type.String(),
          sender: Type.String(),
          origin_server_ts: Type.Number(),
          content: Type.Record(Type.String(), Type.Unknown()),
          state_key: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    end: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
type MessagesEvent = Type.Static<typeof MessagesPage>['chunk'][number];

/** The key of the notice that announces review `id` in its chat: one notice per review, sent once. */
export const reviewNoticeKey = (id: string) => `review:${id}`;

export interface ReviewServiceDeps {
  gateway: MatrixGateway;
  notices: NoticeService;
  languageOf: LanguageOf;
  reports: ReportService;
  /** `review.notifyParticipants`: tell both agents that their chat was reviewed. */
  notifyParticipants: boolean;
  log: Logger;
}

/**
 * Audited review: a supervisor (of the chat's campaign) or an admin reads, read-only, the history
 * of a chat between agents. The appservice reads it from Synapse as the bot, which is in every
 * chat room; the reviewer never joins. Every read is recorded (chat_reviews) before the history
 * is returned, and, when the deployment says so, the chat tells both agents with a notice.
 */
export class ReviewService {
  readonly repo: ReviewRepository;
  private readonly d: ReviewServiceDeps;

  constructor(deps: ReviewServiceDeps & { db: Queryable }) {
    this.repo = createReviewRepository(deps.db);
    this.d = deps;
  }

  /** The chats `viewer` may review, most recent first. */
  async chats(viewer: Viewer, query: ReviewChatsQuery): Promise<ReviewChat[]> {
    const campaigns = await this.d.reports.scope(viewer, query.campaign);
    const ids = viewer.role === 'admin' && query.campaign === undefined ? 'all' : campaigns.map((c) => c.id);
    return this.repo.listChats({ campaigns: ids, ...(query.agent ? { agent: query.agent } : {}), limit: query.limit ?? 50 });
  }

  /** Reads a chat's history for `viewer`, recording the review (and announcing it when configured). */
  async review(viewer: Viewer, roomId: string): Promise<ReviewTranscript> {
    if (!supervises(viewer)) throw forbidden();
    const chat = await this.repo.findChat(roomId);
    if (!chat) throw new AppError(404, 'M_NOT_FOUND', message('chats.notFound'));
    if (viewer.role !== 'admin') {
      const own = await this.d.reports.repo.campaignsOf(viewer.username);
      if (chat.campaignId === null || !own.includes(chat.campaignId)) throw new AppError(403, 'M_FORBIDDEN', message('review.notAllowed'));
    }
    const { events, truncated } = await this.history(roomId);
    const reviewId = await this.repo.record(roomId, viewer.username);
    this.d.log.info({ roomId, reviewer: viewer.username, reviewId }, 'chat history reviewed');
    if (this.d.notifyParticipants) await this.announce(reviewId, roomId, viewer.username, [chat.openedBy.username, chat.peer.username]);
    const names = new Map([
      [chat.openedBy.username, chat.openedBy.displayName],
      [chat.peer.username, chat.peer.displayName],
    ]);
    return { reviewId, chat, messages: events.map((e) => this.toMessage(e, names)), truncated };
  }

  async audit(viewer: Viewer, limit: number): Promise<ReviewAudit> {
    if (viewer.role !== 'admin') throw forbidden();
    const reviews = await this.repo.audit(limit);
    return { reviews: reviews.map((r) => ({ ...r, reviewedAt: r.reviewedAt.toISOString() })) };
  }

  /** Tells both agents, in the language they share. A failed notice is logged, not thrown: the review is recorded and the history was read. */
  private async announce(reviewId: string, roomId: string, reviewer: string, agents: readonly string[]): Promise<void> {
    const { gateway, languageOf, notices, log } = this.d;
    try {
      const name = (await this.repo.displayName(reviewer)) ?? reviewer;
      const notice = composeNotice({
        kind: 'chat.reviewed',
        recipients: agents.map((agent) => gateway.userIdFor(agent)),
        lang: sharedLanguage(await Promise.all(agents.map((agent) => languageOf(agent)))),
        text: message('review.notice', { name }),
      });
      await notices.send(reviewNoticeKey(reviewId), roomId, notice);
    } catch (err) {
      log.warn({ err, roomId, reviewId }, 'could not announce a review in its chat; it is recorded');
    }
  }

  /** The room's messages, oldest first, read back from the newest (at most MAX_REVIEW_EVENTS events). */
  private async history(roomId: string): Promise<{ events: MessagesEvent[]; truncated: boolean }> {
    const bot = this.d.gateway.intent();
    const events: MessagesEvent[] = [];
    let from: string | undefined;
    let read = 0;
    try {
      for (;;) {
        const page: unknown = await bot.http.authedRequest(Method.Get, `/rooms/${encodeURIComponent(roomId)}/messages`, {
          dir: 'b',
          limit: String(PAGE),
          ...(from ? { from } : {}),
        });
        if (!Value.Check(MessagesPage, page)) throw new Error(`unexpected /messages response for ${roomId}`);
        read += page.chunk.length;
        events.push(...page.chunk.filter((e) => e.type === 'm.room.message' && e.state_key === undefined));
        if (!page.end || page.chunk.length === 0) return { events: events.reverse(), truncated: false };
        if (read >= MAX_REVIEW_EVENTS) return { events: events.reverse(), truncated: true };
        from = page.end;
      }
    } catch (err) {
      if (isTransient(err)) throw err;
      this.d.log.error({ err, roomId }, 'could not read a chat history for review');
      throw new AppError(502, 'M_UNKNOWN', message('review.unavailable'), { cause: err });
    }
  }

  private toMessage(e: MessagesEvent, names: ReadonlyMap<string, string>): ReviewMessage {
    const username = this.d.gateway.usernameOf(e.sender);
    const msgtype = typeof e.content['msgtype'] === 'string' ? e.content['msgtype'] : '';
    const body = typeof e.content['body'] === 'string' ? e.content['body'] : '';
    const kind: ReviewMessage['kind'] =
      msgtype === 'm.text' ? 'text' : msgtype === 'm.notice' ? 'notice' : msgtype === 'm.image' ? 'image' : msgtype === 'm.file' ? 'file' : 'other';
    return {
      eventId: e.event_id,
      sender: username ?? e.sender,
      senderName: (username && names.get(username)) ?? (e.sender === this.d.gateway.botUserId ? 'Chattigo' : e.sender),
      at: new Date(e.origin_server_ts).toISOString(),
      kind,
      // A redacted message has no body left.
      body,
    };
  }
}
