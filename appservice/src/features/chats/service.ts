import type { Database } from '../../db/database.ts';
import { AppError, type Language } from '../../errors.ts';
import { CHAT_STATE, type ChatStateContent } from '../../matrix/event-types.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { findAccount } from '../accounts/repository.ts';
import { listCodes, texts, type TypificationOption } from './messages.ts';
import { chatPowerLevels, closeChatRoom, createChatRoom } from './rooms.ts';
import { createChatRepository, pairKey, type Chat, type ChatRepository } from './repository.ts';

export interface Closure {
  chat: Chat;
  /** What the room was told, in the closer's language. */
  notice: string;
}

/** Where closing codes come from: the campaign's catalog plus the global one (features/typifications). */
export interface CatalogLookup {
  catalogFor(campaign: string | null): Promise<readonly TypificationOption[]>;
}

export interface ChatServiceOptions {
  db: Database;
  gateway: MatrixGateway;
  catalog: CatalogLookup;
  log: Logger;
  serverName: string;
}

const notFound = () =>
  new AppError(404, 'M_NOT_FOUND', { es: 'No existe ese chat entre agentes.', en: 'There is no such agent chat.' });

/**
 * Internal chats: "Mensaje directo" opens the open chat of a pair or a new room; either
 * participant closes it with a typification of the chat's catalog. Matrix is written first (it is
 * what clients see), then the database; start-up reconciles the two.
 */
export class ChatService {
  readonly repo: ChatRepository;
  private readonly o: ChatServiceOptions;
  private readonly pairs = new KeyedMutex();
  private readonly rooms = new KeyedMutex();

  constructor(options: ChatServiceOptions) {
    this.o = options;
    this.repo = createChatRepository(options.db);
  }

  /** The chat between `starter` and `peer`: the open one, or a new room. */
  async open(starter: string, peer: string, campaign: string | undefined, lang: Language): Promise<{ chat: Chat; created: boolean }> {
    if (starter === peer) {
      throw new AppError(400, 'CHATTIGO_SELF_CHAT', { es: 'No puede abrir un chat consigo mismo.', en: 'You cannot open a chat with yourself.' });
    }
    const [me, other] = await Promise.all([findAccount(this.o.db, starter), findAccount(this.o.db, peer)]);
    if (!me?.active) throw notFound();
    if (!other?.active) {
      throw new AppError(404, 'CHATTIGO_UNKNOWN_AGENT', {
        es: `No hay un agente activo "${peer}".`,
        en: `There is no active agent "${peer}".`,
      });
    }
    return this.pairs.run(pairKey(starter, peer), async () => {
      const existing = await this.repo.findOpen(starter, peer);
      if (existing) return { chat: existing, created: false };

      const shared = me.campaigns.filter((id) => other.campaigns.includes(id));
      const campaignId = this.pickCampaign(shared, campaign);
      const [space] = campaignId
        ? await this.o.db.query<{ space_room_id: string | null; name: string }>('SELECT space_room_id, name FROM campaigns WHERE id = $1', [campaignId])
        : [];
      const openedAt = new Date();
      const starterId = this.o.gateway.userIdFor(starter);
      const roomId = await createChatRoom(this.o.gateway, {
        starterId,
        peerId: this.o.gateway.userIdFor(peer),
        spaceId: space?.space_room_id ?? null,
        serverName: this.o.serverName,
        state: { status: 'open', campaign: campaignId, opened_by: starterId, opened_at: openedAt.getTime() },
      });
      const inserted = await this.repo.insert({ roomId, openedBy: starter, peer, campaignId, openedAt });
      if (!inserted) {
        // Another appservice process opened one for this pair at the same moment: use that one.
        const winner = await this.repo.findOpen(starter, peer);
        if (winner) return { chat: winner, created: false };
      }
      await this.o.gateway.intent().sendNotice(roomId, texts.opened(lang, me.displayName, space?.name ?? null));
      const chat = await this.repo.find(roomId);
      if (!chat) throw new Error(`chat ${roomId} vanished after insert`);
      this.o.log.info({ roomId, starter, peer, campaign: campaignId }, 'chat opened');
      return { chat, created: true };
    });
  }

  private pickCampaign(shared: string[], requested: string | undefined): string | null {
    if (requested !== undefined) {
      if (shared.includes(requested)) return requested;
      throw new AppError(400, 'CHATTIGO_CAMPAIGN_NOT_SHARED', {
        es: `La campaña "${requested}" no la comparten ambos agentes. Campañas en común: ${shared.join(', ') || 'ninguna'}.`,
        en: `Both agents do not share campaign "${requested}". Shared campaigns: ${shared.join(', ') || 'none'}.`,
      });
    }
    if (shared.length <= 1) return shared[0] ?? null;
    throw new AppError(400, 'CHATTIGO_PICK_CAMPAIGN', {
      es: `Comparten varias campañas; elija una: ${shared.join(', ')}.`,
      en: `You share several campaigns; pick one: ${shared.join(', ')}.`,
    });
  }

  /** A chat the agent takes part in. */
  async get(roomId: string, username: string): Promise<Chat> {
    const chat = await this.repo.find(roomId);
    if (!chat) throw notFound();
    if (chat.openedBy !== username && chat.peer !== username) {
      throw new AppError(403, 'M_FORBIDDEN', { es: 'Usted no participa en este chat.', en: 'You are not in this chat.' });
    }
    return chat;
  }

  /** The typifications that may close this chat now. */
  async typifications(roomId: string, username: string): Promise<readonly TypificationOption[]> {
    const chat = await this.get(roomId, username);
    return this.o.catalog.catalogFor(chat.campaignId);
  }

  /** Closes a chat with a typification of its catalog; refuses a bad code (listing the valid ones) and a second close. */
  close(roomId: string, username: string, code: string, lang: Language, options: { announce?: boolean } = {}): Promise<Closure> {
    return this.rooms.run(roomId, async () => {
      const chat = await this.get(roomId, username);
      if (chat.status === 'closed') {
        throw new AppError(409, 'CHATTIGO_ALREADY_CLOSED', {
          es: `Este chat ya está cerrado (tipificación ${chat.typification?.code ?? '?'}).`,
          en: `This chat is already closed (typification ${chat.typification?.code ?? '?'}).`,
        });
      }
      const catalog = await this.o.catalog.catalogFor(chat.campaignId);
      const wanted = code.trim().toUpperCase();
      const typification = catalog.find((t) => t.code.toUpperCase() === wanted);
      if (!typification) {
        throw new AppError(400, 'CHATTIGO_INVALID_TYPIFICATION', {
          es: `${wanted ? `"${code.trim()}" no es una tipificación válida para este chat.` : 'Falta la tipificación.'} Válidas: ${listCodes(catalog)}.`,
          en: `${wanted ? `"${code.trim()}" is not a valid typification for this chat.` : 'The typification is missing.'} Valid: ${listCodes(catalog)}.`,
        });
      }
      const closedAt = new Date();
      const closer = await findAccount(this.o.db, username);
      await closeChatRoom(this.o.gateway, roomId, {
        status: 'closed',
        campaign: chat.campaignId,
        // The row holds what the open state was written from.
        opened_by: this.o.gateway.userIdFor(chat.openedBy),
        opened_at: chat.openedAt.getTime(),
        closed_by: this.o.gateway.userIdFor(username),
        closed_at: closedAt.getTime(),
        typification: { code: typification.code, label: typification.label },
      });
      const notice = texts.closed(lang, closer?.displayName ?? username, typification);
      // Closing by bot command replies to the command with this text instead.
      if (options.announce !== false) await this.o.gateway.intent().sendNotice(roomId, notice);
      await this.repo.close(roomId, username, closedAt, typification);
      this.o.log.info({ roomId, by: username, code: typification.code }, 'chat closed');
      const closed: Chat = { ...chat, status: 'closed', closedBy: username, closedAt, typification: { code: typification.code, label: typification.label } };
      return { chat: closed, notice };
    });
  }

  /**
   * Brings the database in line with Matrix for chats the database thinks are open: a closure
   * written to the room but not recorded (a crash in between) is recorded, and a closed room
   * whose power levels were not yet made read-only is fixed.
   */
  async reconcile(): Promise<number> {
    let fixed = 0;
    for (const chat of await this.repo.allOpen()) {
      try {
        const state = await this.o.gateway.getState<ChatStateContent>(chat.roomId, CHAT_STATE);
        if (state?.status !== 'closed' || !state.typification || !state.closed_by) continue;
        const levels = await this.o.gateway.getState<{ events_default?: number }>(chat.roomId, 'm.room.power_levels');
        if (levels?.events_default !== 100) await this.o.gateway.sendState(chat.roomId, 'm.room.power_levels', chatPowerLevels('closed'));
        const by = this.o.gateway.usernameOf(state.closed_by) ?? chat.openedBy;
        await this.repo.close(chat.roomId, by, new Date(state.closed_at ?? Date.now()), state.typification);
        fixed++;
      } catch (err) {
        this.o.log.warn({ err, roomId: chat.roomId }, 'could not reconcile chat');
      }
    }
    if (fixed > 0) this.o.log.info({ fixed }, 'chats reconciled with Matrix');
    return fixed;
  }
}
