import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE_FIELD } from '@chattigo/contracts/notices';
import { CHAT_STATE } from '@chattigo/contracts/event-types';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { ChatService } from '../../src/features/chats/service.ts';
import type { MatrixGateway } from '../../src/matrix/gateway.ts';
import { NOTICE_TXN_FIELD, NoticeService, noticeTxnId } from '../../src/matrix/notices.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { seedAccounts, seedCampaigns } from '../helpers/directory.ts';

const SERVER = 'chattigo.test';

/**
 * A homeserver in memory, just what ChatService asks of the gateway: rooms with state and
 * members, account data, and messages sent (notices). No Synapse.
 */
function fakeGateway() {
  const state = new Map<string, unknown>();
  const accountData = new Map<string, unknown>();
  const sent: { roomId: string; body: string; content: Record<string, unknown> }[] = [];
  const rooms: string[] = [];
  const key = (roomId: string, type: string, stateKey = '') => `${roomId}|${type}|${stateKey}`;
  const botUserId = `@chattigo:${SERVER}`;
  const intent = (userId = botUserId) => ({
    async createRoom(options: { initial_state: { type: string; state_key: string; content: unknown }[] }) {
      const roomId = `!room${rooms.length + 1}:${SERVER}`;
      rooms.push(roomId);
      for (const e of options.initial_state) state.set(key(roomId, e.type, e.state_key), e.content);
      state.set(key(roomId, 'm.room.member', botUserId), { membership: 'join' });
      return { room_id: roomId };
    },
    async invite(roomId: string, invitee: string) {
      state.set(key(roomId, 'm.room.member', invitee), { membership: 'invite' });
    },
    async joinRoom(roomId: string) {
      state.set(key(roomId, 'm.room.member', userId), { membership: 'join' });
    },
    async getAccountDataFromServer(type: string) {
      return accountData.get(`${userId}|${type}`) ?? null;
    },
    async setAccountData(type: string, content: unknown) {
      accountData.set(`${userId}|${type}`, content);
    },
    async getJoinedRooms() {
      return { joined_rooms: [...rooms] };
    },
    http: {
      async authedRequest(method: string, path: string, _query: unknown, body: { body: string }) {
        const roomId = decodeURIComponent(path.split('/')[2] ?? '');
        // Like Synapse after a restart: no memory of transaction ids, every PUT is stored.
        if (method === 'GET' && path.endsWith('/messages')) {
          return { chunk: sent.filter((m) => m.roomId === roomId).reverse().map((m) => ({ sender: botUserId, content: m.content })) };
        }
        sent.push({ roomId, body: body.body, content: body });
        return {};
      },
    },
  });
  const gateway = {
    botUserId,
    userIdFor: (username: string) => `@chattigo_${username}:${SERVER}`,
    intent,
    async getState<T>(roomId: string, type: string, stateKey = ''): Promise<T | undefined> {
      return state.get(key(roomId, type, stateKey)) as T | undefined;
    },
    async sendState(roomId: string, type: string, content: unknown, stateKey = '') {
      state.set(key(roomId, type, stateKey), content);
    },
  };
  return { gateway: gateway as unknown as MatrixGateway, state: (roomId: string, type: string) => state.get(key(roomId, type)), sent, rooms };
}

describe('ChatService (fake homeserver, embedded store)', () => {
  let db: Database;
  let matrix: ReturnType<typeof fakeGateway>;
  let chats: ChatService;

  beforeAll(async () => {
    db = await openMigratedStore();
    await seedCampaigns(db, [
      { id: 'ventas', name: 'Ventas', spaceRoomId: `!ventas:${SERVER}` },
      { id: 'soporte', name: 'Soporte' },
    ]);
    await seedAccounts(db, [
      { username: 'ana', displayName: 'Ana', campaigns: ['ventas', 'soporte'] },
      { username: 'jose', displayName: 'José', campaigns: ['ventas'] },
      { username: 'luis', displayName: 'Luis', campaigns: ['ventas', 'soporte'] },
      { username: 'baja', displayName: 'Baja', active: false, campaigns: ['ventas'] },
      { username: 'eva', displayName: 'Eva', campaigns: ['soporte'] },
      { username: 'tom', displayName: 'Tom', campaigns: ['soporte'] },
    ]);
    await db.query(`UPDATE accounts SET language = 'en' WHERE username IN ('eva', 'tom')`);
    matrix = fakeGateway();
    chats = new ChatService({
      db,
      gateway: matrix.gateway,
      catalog: {
        async catalogFor(campaign) {
          return campaign === 'ventas'
            ? [
                { code: 'VENTA', label: 'Venta' },
                { code: 'NO_CONTESTA', label: 'No contesta' },
              ]
            : [{ code: 'NO_CONTESTA', label: 'No contesta' }];
        },
      },
      notices: new NoticeService({ db, gateway: matrix.gateway }),
      languageOf: async () => null,
      log: createLogger('silent'),
      serverName: SERVER,
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('opens a new room for a pair, in their shared campaign, and the open one again after that', async () => {
    const first = await chats.open('ana', 'jose', undefined);
    expect(first.created).toBe(true);
    expect(first.chat).toMatchObject({ openedBy: 'ana', peer: 'jose', campaignId: 'ventas', status: 'open', phase: 'open' });
    expect(matrix.state(first.chat.roomId, CHAT_STATE)).toMatchObject({ status: 'open', campaign: 'ventas' });
    expect(matrix.sent.filter((m) => m.roomId === first.chat.roomId)).toHaveLength(1); // the opening notice

    const again = await chats.open('jose', 'ana', undefined);
    expect(again).toMatchObject({ created: false, chat: { roomId: first.chat.roomId } });
    expect(matrix.rooms).toHaveLength(1);
  });

  it('refuses a chat with oneself, with an inactive agent, and an ambiguous or unshared campaign', async () => {
    await expect(chats.open('ana', 'ana', undefined)).rejects.toMatchObject({ errcode: 'CHATTIGO_SELF_CHAT' });
    await expect(chats.open('ana', 'baja', undefined)).rejects.toMatchObject({ errcode: 'CHATTIGO_UNKNOWN_AGENT' });
    await expect(chats.open('ana', 'luis', undefined)).rejects.toMatchObject({ errcode: 'CHATTIGO_PICK_CAMPAIGN' });
    await expect(chats.open('jose', 'luis', 'soporte')).rejects.toMatchObject({ errcode: 'CHATTIGO_CAMPAIGN_NOT_SHARED' });
  });

  it('closes only with a code of the chat catalog, and only a participant', async () => {
    const { chat } = await chats.open('ana', 'luis', 'soporte');
    await expect(chats.close(chat.roomId, 'ana', 'VENTA')).rejects.toMatchObject({ errcode: 'CHATTIGO_INVALID_TYPIFICATION' });
    await expect(chats.close(chat.roomId, 'ana', '')).rejects.toMatchObject({ errcode: 'CHATTIGO_INVALID_TYPIFICATION' });
    await expect(chats.close(chat.roomId, 'jose', 'NO_CONTESTA')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });

    const closed = await chats.close(chat.roomId, 'luis', 'no_contesta');
    expect(closed.chat).toMatchObject({ status: 'closed', phase: 'closed', closedBy: 'luis', typification: { code: 'NO_CONTESTA', label: 'No contesta' } });
    expect(matrix.state(chat.roomId, CHAT_STATE)).toMatchObject({ status: 'closed', typification: { code: 'NO_CONTESTA' } });
    expect(matrix.state(chat.roomId, 'm.room.power_levels')).toMatchObject({ events_default: 100 });
    expect(closed.notice).not.toBe('');

    await expect(chats.close(chat.roomId, 'ana', 'NO_CONTESTA')).rejects.toMatchObject({ errcode: 'CHATTIGO_ALREADY_CLOSED' });
    // A closed chat is never reopened: the pair gets a new room.
    const next = await chats.open('ana', 'luis', 'soporte');
    expect(next.created).toBe(true);
    expect(next.chat.roomId).not.toBe(chat.roomId);
  });

  it('answers a replayed close command the same way, once', async () => {
    const { chat } = await chats.open('jose', 'ana', undefined);
    const request = { commandEventId: '$close-1' };
    const first = await chats.close(chat.roomId, 'jose', 'VENTA', request);
    const notices = matrix.sent.length;
    const replay = await chats.close(chat.roomId, 'jose', 'VENTA', request);
    expect(replay.notice).toBe(first.notice);
    expect(replay.chat).toMatchObject({ status: 'closed', typification: { code: 'VENTA' } });
    expect(matrix.sent).toHaveLength(notices); // the notice is not sent again
    // Another command event is a second close, refused.
    await expect(chats.close(chat.roomId, 'jose', 'VENTA', { commandEventId: '$close-2' })).rejects.toMatchObject({
      errcode: 'CHATTIGO_ALREADY_CLOSED',
    });
  });

  it('writes the notices for people: in the reader’s language only, with names, and without commands for the web client', async () => {
    const { chat } = await chats.open('ana', 'eva', undefined);
    const opened = matrix.sent.filter((m) => m.roomId === chat.roomId).at(-1);
    // Eva reads English (the directory says so): Element shows her the English text with the command.
    expect(opened?.body).toBe('Ana opened this chat (campaign Soporte). To close it: !close <code>; valid codes: !typifications.');
    expect(opened?.content[NOTICE_FIELD]).toEqual({
      kind: 'chat.opened',
      recipients: [`@chattigo_eva:${SERVER}`],
      texts: { es: 'Ana abrió este chat (campaña Soporte).', en: 'Ana opened this chat (campaign Soporte).' },
    });
    await chats.close(chat.roomId, 'eva', 'NO_CONTESTA');
    const closed = matrix.sent.filter((m) => m.roomId === chat.roomId).at(-1);
    // Ana has no language of her own and Eva's is English: the one they share is English.
    expect(closed?.body).toBe('Eva closed this chat with the typification NO_CONTESTA — No contesta. The chat is now read-only.');
    expect(closed?.content[NOTICE_FIELD]).toMatchObject({ kind: 'chat.closed', recipients: [`@chattigo_eva:${SERVER}`, `@chattigo_ana:${SERVER}`] });

    const second = await chats.open('tom', 'ana', undefined);
    // Ana (no language): Spanish, whatever the language of the one who opened it.
    expect(matrix.sent.filter((m) => m.roomId === second.chat.roomId).at(-1)?.body).toMatch(/^Tom abrió este chat \(campaña Soporte\)\. Para cerrarlo: !cerrar/);
  });

  it('sends a notice again only when it is not in the room: an earlier attempt may have sent it and lost the answer', async () => {
    const notices = new NoticeService({ db, gateway: matrix.gateway });
    const roomId = `!resend:${SERVER}`;
    const inRoom = () => matrix.sent.filter((m) => m.roomId === roomId);

    // Sent, and Synapse stored it, but the answer was lost (Synapse stopped): never marked sent.
    await notices.send('test:lost-answer', roomId, 'hola');
    expect(inRoom()).toHaveLength(1);
    expect(inRoom()[0]?.content[NOTICE_TXN_FIELD]).toBe(noticeTxnId('test:lost-answer'));
    await db.query(`UPDATE bot_notices SET sent_at = NULL WHERE key = 'test:lost-answer'`);
    // The retry after Synapse's restart finds it in the room: marked sent, not stored twice.
    await notices.send('test:lost-answer', roomId, 'hola');
    expect(inRoom()).toHaveLength(1);
    expect((await notices.repo.find('test:lost-answer'))?.sent).toBe(true);

    // Recorded by an attempt that failed before the send: the retry sends it, once.
    await notices.repo.record({ key: 'test:never-sent', roomId, body: 'adiós', inReplyTo: null });
    await notices.send('test:never-sent', roomId, 'adiós');
    await notices.send('test:never-sent', roomId, 'adiós');
    expect(inRoom().map((m) => m.body)).toEqual(['hola', 'adiós']);
  });
});
