import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../db/database.ts';
import { KeyLock } from '../../db/locks.ts';
import { AppError } from '../../errors.ts';
import { message, translate } from '../../i18n/index.ts';
import { CHAT_STATE, type ChatStateContent } from '@chattigo/contracts/event-types';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { readerLanguage, sharedLanguage, type LanguageOf, type NoticeService } from '../../matrix/notices.ts';
import { isTransient } from '../../matrix/transient.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountRepository, type AccountRepository } from '../accounts/index.ts';
import { listCodes, texts, type TypificationOption } from './messages.ts';
import { closeChatRoom, createChatRoom, setUpChatRoom, tearDownChatRoom } from './rooms.ts';
import { createNoticeRepository } from '../../matrix/notice-repository.ts';
import {
  createChatRepository,
  isPlaceholder,
  pairKey,
  placeholderRoomId,
  type Chat,
  type ChatRepository,
  type ClosureRecord,
} from './repository.ts';

export interface Closure {
  chat: Chat;
  /** What the room was told (the notice's plain body). */
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
  notices: NoticeService;
  /** Each account's language: notices and reasons are written in their reader's. */
  languageOf: LanguageOf;
  log: Logger;
  serverName: string;
  /** How old a room must be before reconciliation treats it as abandoned (tests shorten it). */
  abandonedAfterMs?: number;
}

/** How a close is asked for: by the API, or by a bot command (whose event id makes a replay the same close). */
export interface CloseRequest {
  /** The command event that asks for the close; its reply is the closure notice. */
  commandEventId?: string;
}

/** The notice keys of a chat's opening (by its opening id, or room for older chats) and closure (matrix/notices.ts). */
const openedKey = (openingOrRoomId: string) => `opened:${openingOrRoomId}`;
const closedKey = (chat: Pick<Chat, 'roomId' | 'closeOrigin'>) => (chat.closeOrigin ? `reply:${chat.closeOrigin}` : `closed:${chat.roomId}`);

const notFound = () =>
  new AppError(404, 'M_NOT_FOUND', message('chats.notFound'));

/**
 * Internal chats: "Mensaje directo" opens the open chat of a pair or a new room; either
 * participant closes it with a typification of the chat's catalog.
 *
 * Each change is recorded before Matrix is told, and every Matrix step is safe to repeat, so a
 * crash or an outage at any point leaves a row that `reconcile` (at start-up and periodically)
 * finishes: a chat is recorded as `opening` right after its room is created and before anyone is
 * invited; a close is recorded as `closing` (with its notice) before the room is made read-only.
 */
export class ChatService {
  readonly repo: ChatRepository;
  private readonly accounts: AccountRepository;
  private readonly o: ChatServiceOptions;
  /** One open at a time per pair, one close or repair at a time per room, across processes. */
  private readonly pairs: KeyLock;
  private readonly rooms: KeyLock;
  /** Rooms of the bot found to carry no chat state (spaces, direct chats with the bot). */
  private readonly notChats = new Set<string>();
  private reconciling: Promise<number> | undefined;

  constructor(options: ChatServiceOptions) {
    this.o = options;
    this.repo = createChatRepository(options.db);
    this.accounts = createAccountRepository(options.db);
    this.pairs = new KeyLock({ db: options.db, namespace: 'chats.pair' });
    this.rooms = new KeyLock({ db: options.db, namespace: 'chats.room' });
  }

  /** The chat between `starter` and `peer`: the open one, or a new room. */
  async open(starter: string, peer: string, campaign: string | undefined): Promise<{ chat: Chat; created: boolean }> {
    if (starter === peer) {
      throw new AppError(400, 'CHATTIGO_SELF_CHAT', message('chats.selfChat'));
    }
    const [me, other] = await Promise.all([this.accounts.find(starter), this.accounts.find(peer)]);
    if (!me?.active) throw notFound();
    if (!other?.active) {
      throw new AppError(404, 'CHATTIGO_UNKNOWN_AGENT', message('chats.unknownAgent', { agent: peer }));
    }
    return this.pairs.run(pairKey(starter, peer), async () => {
      const existing = await this.repo.findOpen(starter, peer);
      if (existing) return { chat: await this.settleOpening(existing), created: false };

      const shared = me.campaigns.filter((id) => other.campaigns.includes(id));
      const campaignId = this.pickCampaign(shared, campaign);
      const space = campaignId ? await this.repo.campaignSpace(campaignId) : undefined;
      const openedAt = new Date();
      const starterId = this.o.gateway.userIdFor(starter);
      // Recorded before the room exists, so that no room is ever made that nothing knows of.
      const openingId = randomUUID();
      const placeholder = placeholderRoomId(openingId);
      if (!(await this.repo.insert({ roomId: placeholder, openingId, openedBy: starter, peer, campaignId, openedAt }))) {
        // Another appservice process is opening one for this pair at the same moment: use that one.
        const winner = await this.repo.findOpen(starter, peer);
        if (winner) return { chat: await this.settleOpening(winner), created: false };
        throw new Error(`chat for ${starter} and ${peer} neither inserted nor found`);
      }
      // The notice speaks to the other agent, in their language; the starter knows what they did.
      const { body, ...extra } = texts.opened(sharedLanguage([other.language]), [this.o.gateway.userIdFor(peer)], me.displayName, space?.name ?? null);
      const { created: noticeIsNew } = await this.o.notices.repo.record({ key: openedKey(openingId), roomId: placeholder, body, extra, inReplyTo: null });
      let roomId: string;
      try {
        roomId = await createChatRoom(this.o.gateway, {
          starterId,
          peerId: this.o.gateway.userIdFor(peer),
          spaceId: space?.spaceRoomId ?? null,
          serverName: this.o.serverName,
          state: { status: 'open', campaign: campaignId, opened_by: starterId, opened_at: openedAt.getTime(), opening: openingId },
        });
      } catch (err) {
        // Refused: nothing was made. An outage may have made the room: reconciliation pairs it up or gives up.
        if (!isTransient(err)) await this.forgetOpening(openingId);
        throw err;
      }
      await this.attach(openingId, roomId);
      const chat = await this.repo.find(roomId);
      if (!chat) throw new Error(`chat ${roomId} vanished after insert`);
      await this.finishOpen(chat, { noticeIsNew });
      this.o.log.info({ roomId, starter, peer, campaign: campaignId }, 'chat opened');
      return { chat: { ...chat, phase: 'open' }, created: true };
    });
  }

  /** An open chat as it is, an opening one finished (waiting a little for a room still being made). */
  private async settleOpening(chat: Chat): Promise<Chat> {
    if (chat.phase !== 'opening') return chat;
    let current: Chat | undefined = chat;
    for (let i = 0; current && isPlaceholder(current.roomId) && i < 40; i++) {
      await sleep(250);
      current = current.openingId ? await this.repo.findByOpening(current.openingId) : undefined;
    }
    if (!current || isPlaceholder(current.roomId)) {
      throw new AppError(503, 'CHATTIGO_CHAT_OPENING', message('chats.stillOpening'));
    }
    await this.finishOpen(current);
    return { ...current, phase: 'open' };
  }

  /** Gives the chat recorded for `openingId` its room, and its recorded opening notice too. */
  private async attach(openingId: string, roomId: string): Promise<void> {
    await this.o.db.transaction(async (tx) => {
      await createChatRepository(tx).attachRoom(openingId, roomId);
      await createNoticeRepository(tx).moveToRoom(openedKey(openingId), roomId);
    });
  }

  private async forgetOpening(openingId: string): Promise<void> {
    await this.repo.remove(placeholderRoomId(openingId));
    await this.o.notices.repo.forget(openedKey(openingId));
  }

  /**
   * Brings the agents in, posts the opening notice, marks the chat open; every step repeatable.
   * `noticeIsNew`: the caller recorded the notice just now, so no earlier attempt can have sent it
   * (NoticeService.deliver then skips looking for it in the room).
   */
  private async finishOpen(chat: Chat, { noticeIsNew = false }: { noticeIsNew?: boolean } = {}): Promise<void> {
    const { gateway, notices } = this.o;
    await setUpChatRoom(gateway, chat.roomId, gateway.userIdFor(chat.openedBy), gateway.userIdFor(chat.peer));
    const notice = await notices.repo.find(openedKey(chat.openingId ?? chat.roomId));
    if (notice) await notices.deliver(notice, { firstAttempt: noticeIsNew });
    await this.repo.markOpen(chat.roomId);
  }

  private pickCampaign(shared: string[], requested: string | undefined): string | null {
    if (requested !== undefined) {
      if (shared.includes(requested)) return requested;
      throw new AppError(
        400,
        'CHATTIGO_CAMPAIGN_NOT_SHARED',
        message('chats.campaignNotShared', { campaign: requested, shared: shared.join(', ') || message('chats.noCampaign') }),
      );
    }
    if (shared.length <= 1) return shared[0] ?? null;
    throw new AppError(400, 'CHATTIGO_PICK_CAMPAIGN', message('chats.pickCampaign', { shared: shared.join(', ') }));
  }

  /** A chat the agent takes part in. */
  async get(roomId: string, username: string): Promise<Chat> {
    const chat = await this.repo.find(roomId);
    if (!chat) throw notFound();
    if (chat.openedBy !== username && chat.peer !== username) {
      throw new AppError(403, 'M_FORBIDDEN', message('chats.notInChat'));
    }
    return chat;
  }

  /** The typifications that may close this chat now. */
  async typifications(roomId: string, username: string): Promise<readonly TypificationOption[]> {
    const chat = await this.get(roomId, username);
    return this.o.catalog.catalogFor(chat.campaignId);
  }

  /**
   * Closes a chat with a typification of its catalog; refuses a bad code (listing the valid ones)
   * and a second close. The same command event replayed is the same close, answered the same way.
   */
  close(roomId: string, username: string, code: string, request: CloseRequest = {}): Promise<Closure> {
    return this.rooms.run(roomId, async () => {
      const chat = await this.get(roomId, username);
      if (chat.status === 'closed') {
        if (request.commandEventId !== undefined && chat.closeOrigin === request.commandEventId) return this.finishClose(chat);
        // A close interrupted by a crash or an outage: finish it now rather than at the next reconciliation.
        if (chat.phase === 'closing') await this.finishClose(chat);
        throw new AppError(409, 'CHATTIGO_ALREADY_CLOSED', message('chats.alreadyClosed', { code: chat.typification?.code ?? '?' }));
      }
      const catalog = await this.o.catalog.catalogFor(chat.campaignId);
      const wanted = code.trim().toUpperCase();
      const typification = catalog.find((t) => t.code.toUpperCase() === wanted);
      if (!typification) {
        const valid = listCodes(catalog);
        throw new AppError(
          400,
          'CHATTIGO_INVALID_TYPIFICATION',
          wanted ? message('chats.invalidTypification', { code: code.trim(), valid }) : message('chats.missingTypification', { valid }),
        );
      }
      const otherAgent = chat.openedBy === username ? chat.peer : chat.openedBy;
      const [closer, other] = await Promise.all([this.accounts.find(username), this.accounts.find(otherAgent)]);
      const closure: ClosureRecord = {
        by: username,
        at: new Date(),
        typification: { code: typification.code, label: typification.label },
        origin: request.commandEventId ?? null,
      };
      const closing: Chat = {
        ...chat,
        status: 'closed',
        phase: 'closing',
        closedBy: closure.by,
        closedAt: closure.at,
        typification: closure.typification,
        closeOrigin: closure.origin,
      };
      // The close and its notice are recorded together, before Matrix is told.
      const { created: noticeIsNew } = await this.o.db.transaction(async (tx) => {
        if (!(await createChatRepository(tx).beginClose(roomId, closure))) throw new Error(`chat ${roomId} was not open`);
        // Both agents read it (the closer as the reply to their command): in the language they share.
        const lang = sharedLanguage([closer?.language ?? null, other?.language ?? null]);
        const recipients = [username, otherAgent].map((u) => this.o.gateway.userIdFor(u));
        const { body, ...extra } = texts.closed(lang, recipients, closer?.displayName ?? username, typification);
        return createNoticeRepository(tx).record({ key: closedKey(closing), roomId, body, extra, inReplyTo: closure.origin });
      });
      const done = await this.finishClose(closing, { noticeIsNew });
      this.o.log.info({ roomId, by: username, code: typification.code }, 'chat closed');
      return done;
    });
  }

  /**
   * Makes the room read-only, writes the closure state, posts the recorded notice, marks the chat
   * closed. `noticeIsNew` as for finishOpen.
   */
  private async finishClose(chat: Chat, { noticeIsNew = false }: { noticeIsNew?: boolean } = {}): Promise<Closure> {
    const { gateway, notices } = this.o;
    if (!chat.typification || !chat.closedBy || !chat.closedAt) throw new Error(`chat ${chat.roomId} has no closure recorded`);
    const closure: ClosureRecord = { by: chat.closedBy, at: chat.closedAt, typification: chat.typification, origin: chat.closeOrigin };
    if (chat.phase !== 'closed') {
      await closeChatRoom(gateway, chat.roomId, {
        status: 'closed',
        campaign: chat.campaignId,
        // The row holds what the open state was written from.
        opened_by: gateway.userIdFor(chat.openedBy),
        opened_at: chat.openedAt.getTime(),
        closed_by: gateway.userIdFor(closure.by),
        closed_at: closure.at.getTime(),
        typification: closure.typification,
      });
    }
    const notice = await notices.repo.find(closedKey(chat));
    if (notice) await notices.deliver(notice, { firstAttempt: noticeIsNew });
    await this.repo.close(chat.roomId, closure);
    return { chat: { ...chat, status: 'closed', phase: 'closed' }, notice: notice?.body ?? '' };
  }

  /**
   * Finishes what a crash or an outage interrupted: chats left opening are set up (or, when their
   * agents can no longer chat, torn down), chats left closing are closed with their notice, and
   * rooms the bot created for a chat that was never recorded are torn down.
   */
  reconcile(): Promise<number> {
    // Start-up, a new leader and the periodic pass may ask at once: one pass at a time, the others join it.
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<number> {
    // Rooms first: a room made for a chat recorded before it gets its id, so the chat can be finished.
    let fixed = await this.pairRooms();
    const cutoff = Date.now() - (this.o.abandonedAfterMs ?? 120_000);
    for (const chat of await this.repo.unfinished()) {
      try {
        if (isPlaceholder(chat.roomId)) {
          // No room was made for it (the process died before Synapse answered), long enough ago.
          if (chat.openingId && chat.openedAt.getTime() < cutoff) {
            await this.forgetOpening(chat.openingId);
            fixed++;
          }
          continue;
        }
        await this.rooms.run(chat.roomId, async () => {
          const current = await this.repo.find(chat.roomId);
          if (current?.phase === 'opening') await this.finishOpen(current);
          else if (current?.phase === 'closing') await this.finishClose(current);
        });
        fixed++;
      } catch (err) {
        this.o.log.warn({ err, roomId: chat.roomId, phase: chat.phase }, 'could not finish an interrupted chat; will try again');
      }
    }
    if (fixed > 0) this.o.log.info({ fixed }, 'chats reconciled with Matrix');
    return fixed;
  }

  /**
   * Rooms the bot is in that carry chat state but have no chat row: one made for a chat recorded
   * before it (its state names the chat's opening id) is attached to that chat; any other is an
   * orphan and torn down — rooms older than this scheme only once they are older than a set-up takes.
   */
  private async pairRooms(): Promise<number> {
    const { gateway } = this.o;
    const joined = (await gateway.intent().getJoinedRooms()).joined_rooms;
    const known = await this.repo.known(joined);
    const cutoff = Date.now() - (this.o.abandonedAfterMs ?? 120_000);
    let fixed = 0;
    for (const roomId of joined) {
      if (known.has(roomId) || this.notChats.has(roomId)) continue;
      const state = await gateway.getState<ChatStateContent>(roomId, CHAT_STATE).catch((err: unknown) => {
        this.o.log.debug({ err, roomId }, 'could not read a room state');
        return undefined;
      });
      if (!state) {
        this.notChats.add(roomId); // a space or a direct chat with the bot: never a chat
        continue;
      }
      const waiting = state.opening ? await this.repo.findByOpening(state.opening) : undefined;
      if (waiting && state.opening) {
        await this.attach(state.opening, roomId);
        fixed++;
        continue;
      }
      if (!state.opening && (typeof state.opened_at !== 'number' || state.opened_at > cutoff)) continue;
      // Recorded since the list was read?
      if ((await this.repo.known([roomId])).has(roomId)) continue;
      try {
        const opener = typeof state.opened_by === 'string' ? state.opened_by : '';
        await tearDownChatRoom(gateway, roomId, translate(await readerLanguage(gateway, this.o.languageOf, opener), 'chats.neverOpened'));
        fixed++;
        this.o.log.info({ roomId }, 'orphan chat room torn down');
      } catch (err) {
        this.o.log.warn({ err, roomId }, 'could not tear down an orphan chat room');
      }
    }
    return fixed;
  }
}
