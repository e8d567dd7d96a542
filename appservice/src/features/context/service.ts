import type { PlatformContext } from '@chattigo/contracts/context';
import { CONTEXT_EVENT_TYPE, type ContextContent } from '@chattigo/contracts/event-types';
import type { Language } from '@chattigo/contracts/language';
import { AppError } from '../../errors.ts';
import { formatMoment, message, perLanguage } from '../../i18n/index.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { composeNotice, sharedLanguage, type LanguageOf, type NoticeService } from '../../matrix/notices.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Chat } from '../chats/index.ts';
import type { ContextProvider } from './provider.ts';

export interface ContextServiceDeps {
  gateway: MatrixGateway;
  notices: NoticeService;
  languageOf: LanguageOf;
  /** The chat the agent takes part in (404/403 otherwise): ChatService.get. */
  chatOf(roomId: string, username: string): Promise<Chat>;
  /** Null when `platform.contextUrl` is not configured: requests are accepted and logged, no card. */
  provider: ContextProvider | null;
  log: Logger;
}

/** When the customer chat started, as the notice shows it. */
export const formatStartedAt = (lang: Language, iso: string): string => formatMoment(lang, iso);

export function contextContent(context: PlatformContext, conversationId: string, attachedBy: string): ContextContent {
  return {
    conversation_id: conversationId,
    customer_name: context.customerName,
    channel: context.channel,
    campaign: context.campaign,
    started_at: context.startedAt,
    link: context.link,
    attached_by: attachedBy,
  };
}

/**
 * Context cards: an agent attaches the customer chat an internal chat is about; the platform's
 * summary becomes the room's `com.chattigo.context` state and a readable `m.notice`. The request
 * is answered at once and the platform asked afterwards: a slow or failing platform never holds
 * up the chat (the card comes later or not at all, and the log says why).
 */
export class ContextService {
  private readonly deps: ContextServiceDeps;
  private readonly pending = new Set<Promise<void>>();

  constructor(deps: ContextServiceDeps) {
    this.deps = deps;
  }

  /**
   * Checks that the agent is in the open chat, then attaches the context in the background. The
   * notice speaks to the other agent, in their language (the web client shows it in its own).
   */
  async request(roomId: string, username: string, conversationId: string): Promise<void> {
    const chat = await this.deps.chatOf(roomId, username);
    if (chat.status !== 'open') throw new AppError(409, 'CHATTIGO_ALREADY_CLOSED', message('context.chatClosed'));
    const other = chat.openedBy === username ? chat.peer : chat.openedBy;
    const work = this.attach(roomId, username, other, conversationId).finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Waits for the attachments under way (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async attach(roomId: string, username: string, other: string, conversationId: string): Promise<void> {
    const { provider, gateway, notices, log } = this.deps;
    if (!provider) {
      log.info({ roomId, conversationId }, 'no context card: platform.contextUrl is not configured');
      return;
    }
    const started = Date.now();
    const result = await provider.fetch(conversationId);
    if (!result.ok) {
      log.warn({ roomId, conversationId, reason: result.reason, ms: Date.now() - started }, 'no context card: the platform gave no summary');
      return;
    }
    const { context } = result;
    try {
      await gateway.sendState(roomId, CONTEXT_EVENT_TYPE, contextContent(context, conversationId, gateway.userIdFor(username)));
      const notice = composeNotice({
        kind: 'chat.context',
        recipients: [gateway.userIdFor(other)],
        lang: sharedLanguage([await this.deps.languageOf(other)]),
        text: message('context.notice', {
          customer: context.customerName,
          channel: context.channel,
          campaign: context.campaign,
          startedAt: perLanguage((lang) => formatStartedAt(lang, context.startedAt)),
          link: context.link,
        }),
      });
      await notices.send(`context:${roomId}:${conversationId}`, roomId, notice);
      log.info({ roomId, conversationId }, 'context card added');
    } catch (err) {
      log.warn({ err, roomId, conversationId }, 'no context card: Matrix refused it');
    }
  }
}
