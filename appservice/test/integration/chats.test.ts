import { Preset, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatRoom } from '../../src/features/chats/rooms.ts';
import { CHAT_STATE } from '@chattigo/contracts/event-types';
import { apiSession, importAgents, loginAgent, runNames } from '../helpers/agents.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { botNotices, botReply } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Chats between agents on a real Synapse. José uses the bundled client's API; María behaves like
 * Element (Matrix calls and bot commands only); Ana is an admin managing the catalog by command.
 */
describe('direct chats closed with a typification', () => {
  let as: TestAppservice;
  let maria: MatrixClient;
  let jose: MatrixClient;
  let joseJwt: string;
  let roomId: string;
  const { t, u } = runNames();
  const ventas = `ventas-${t}`;
  const soporte = `soporte-${t}`;

  const api = (method: 'GET' | 'POST', url: string, payload?: object, lang = 'es') =>
    as.running.app.server.inject({ method, url, headers: { authorization: `Bearer ${joseJwt}`, 'accept-language': lang }, ...(payload ? { payload } : {}) });
  const bot = () => as.running.app.gateway.botUserId;
  const userId = (name: string) => as.running.app.gateway.userIdFor(name);
  const chatState = (room: string) => as.running.app.gateway.getState<Record<string, unknown>>(room, CHAT_STATE);

  beforeAll(async () => {
    as = await startTestAppservice();
    await importAgents(as, {
      campaigns: [
        { id: ventas, name: 'Ventas' },
        { id: soporte, name: 'Soporte' },
      ],
      accounts: [
        { username: u('jose'), displayName: 'José Pérez', campaigns: [ventas] },
        { username: u('maria'), displayName: 'María Gómez', campaigns: [ventas, soporte] },
        { username: u('pedro'), displayName: 'Pedro Díaz', campaigns: [soporte] },
        { username: u('ana'), displayName: 'Ana Admin', role: 'admin', campaigns: [] },
      ],
      typifications: [
        { campaign: ventas, code: 'VENTA_OK', label: 'Venta realizada' },
        { campaign: null, code: 'CONSULTA', label: 'Consulta resuelta' },
      ],
    });
    maria = await loginAgent(as, u('maria'));
    jose = await loginAgent(as, u('jose'));
    joseJwt = await apiSession(as.running.app, jose);
  });
  afterAll(async () => {
    await as?.stop();
  });

  it('"Mensaje directo" creates a direct room with the chat state, power levels and both agents joined', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    expect(response.statusCode).toBe(201);
    const { chat, created } = response.json();
    expect(created).toBe(true);
    expect(chat).toMatchObject({ status: 'open', openedBy: u('jose'), peer: u('maria'), campaignId: ventas });
    roomId = chat.roomId;

    expect(await chatState(roomId)).toMatchObject({ status: 'open', campaign: ventas, opened_by: userId(u('jose')) });
    const levels = await as.running.app.gateway.getState<Record<string, unknown>>(roomId, 'm.room.power_levels');
    expect(levels).toMatchObject({ users_default: 0, events_default: 0, state_default: 100, invite: 100 });
    expect((levels?.['events'] as Record<string, number>)[CHAT_STATE]).toBe(100);
    expect((levels?.['events'] as Record<string, number>)['m.room.power_levels']).toBe(100);
    const { joined } = await as.running.app.gateway.intent().getJoinedRoomMembers(roomId);
    expect(Object.keys(joined).sort()).toEqual([bot(), userId(u('jose')), userId(u('maria'))].sort());

    // The invite María got came from José (clients show the DM as being with him) and both m.direct list the room.
    const [invite] = await as.running.db.query<{ sender: string }>(
      `SELECT event::json->>'sender' AS sender FROM appservice_events
        WHERE room_id = $1 AND event_type = 'm.room.member' AND event::json->>'state_key' = $2 AND event::json->'content'->>'membership' = 'invite'`,
      [roomId, userId(u('maria'))],
    );
    expect(invite?.sender).toBe(userId(u('jose')));
    const direct = (await maria.getAccountDataFromServer('m.direct' as never)) as Record<string, string[]> | null;
    expect(direct?.[userId(u('jose'))]).toContain(roomId);
    expect(await botNotices(maria, roomId, bot())).toEqual([expect.stringContaining('José Pérez abrió este chat (campaña Ventas)')]);
  });

  it('returns the same room while the chat is open', async () => {
    const again = await api('POST', '/api/v1/chats', { agent: u('maria') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, chat: { roomId } });
  });

  it('carries messages both ways', async () => {
    await maria.sendTextMessage(roomId, 'Hola José, ¿me ayudas con un cliente?');
    await jose.sendTextMessage(roomId, 'Claro, María.');
    const page = await maria.createMessagesRequest(roomId, null, 20, 'b' as never);
    const bodies = page.chunk.filter((e) => e.type === 'm.room.message').map((e) => e.content['body']);
    expect(bodies).toEqual(expect.arrayContaining(['Hola José, ¿me ayudas con un cliente?', 'Claro, María.']));
  });

  it('lists the valid codes in Spanish and English', async () => {
    const es = await botReply(maria, roomId, bot(), '!tipificaciones');
    expect(es).toContain('VENTA_OK (Venta realizada)');
    expect(es).toContain('CONSULTA (Consulta resuelta)');
    expect(await botReply(maria, roomId, bot(), '!typifications')).toContain('Valid typifications to close this chat');
  });

  it('refuses a bad code with the list of valid ones, and the chat stays open', async () => {
    const reply = await botReply(maria, roomId, bot(), '!cerrar NO_EXISTE');
    expect(reply).toContain('"NO_EXISTE" no es una tipificación válida');
    expect(reply).toContain('VENTA_OK');
    expect(await botReply(maria, roomId, bot(), '!cerrar')).toContain('Falta la tipificación');
    expect((await chatState(roomId))?.['status']).toBe('open');
  });

  it('answers an unknown command with the help text', async () => {
    const reply = await botReply(maria, roomId, bot(), '!despedir a todos');
    expect(reply).toContain('!cerrar');
    expect(reply).toContain('!tipificaciones');
  });

  it('refuses a forged closure or power-levels event from an agent (403 from Synapse)', async () => {
    const forge = (type: string, content: object) =>
      maria.http.authedRequest('PUT' as never, `/rooms/${encodeURIComponent(roomId)}/state/${type}/`, undefined, content as Record<string, unknown>);
    await expect(forge(CHAT_STATE, { status: 'closed', typification: { code: 'X', label: 'x' } })).rejects.toMatchObject({ httpStatus: 403 });
    await expect(forge('m.room.power_levels', { users: { [userId(u('maria'))]: 100 } })).rejects.toMatchObject({ httpStatus: 403 });
    expect((await chatState(roomId))?.['status']).toBe('open');
  });

  it('closes with a good code: state written, room read-only for both, notice posted, recorded', async () => {
    const reply = await botReply(maria, roomId, bot(), '!cerrar venta_ok');
    expect(reply).toContain('María Gómez cerró este chat con la tipificación VENTA_OK — Venta realizada');
    expect(await chatState(roomId)).toMatchObject({
      status: 'closed',
      closed_by: userId(u('maria')),
      typification: { code: 'VENTA_OK', label: 'Venta realizada' },
    });
    await expect(maria.sendTextMessage(roomId, '¿sigue abierto?')).rejects.toMatchObject({ httpStatus: 403 });
    await expect(jose.sendTextMessage(roomId, '¿sigue abierto?')).rejects.toMatchObject({ httpStatus: 403 });

    const list = (await api('GET', '/api/v1/chats')).json();
    expect(list.chats[0]).toMatchObject({ roomId, status: 'closed', closedBy: u('maria'), typification: { code: 'VENTA_OK' }, other: { username: u('maria') } });
    expect(list.openCount).toBe(0);
  });

  it('says "already closed" to a second close', async () => {
    const response = await api('POST', `/api/v1/chats/${encodeURIComponent(roomId)}/close`, { code: 'VENTA_OK' });
    expect(response.statusCode).toBe(409);
    expect(response.json().errcode).toBe('CHATTIGO_ALREADY_CLOSED');
  });

  it('opens a new room after a close, and closes it through the API (English errors too)', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    expect(response.statusCode).toBe(201);
    const second = response.json().chat.roomId as string;
    expect(second).not.toBe(roomId);

    const bad = await api('POST', `/api/v1/chats/${encodeURIComponent(second)}/close`, { code: 'NOPE' }, 'en');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errcode: 'CHATTIGO_INVALID_TYPIFICATION', error: expect.stringContaining('is not a valid typification') });
    expect(bad.json().error).toContain('VENTA_OK (Venta realizada)');
    const good = await api('POST', `/api/v1/chats/${encodeURIComponent(second)}/close`, { code: 'CONSULTA' });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ status: 'closed', typification: { code: 'CONSULTA', label: 'Consulta resuelta' } });
    await waitFor(async () => (await botNotices(maria, second, bot())).some((n) => n.includes('cerró este chat')), 'the closing notice');

    const list = (await api('GET', '/api/v1/chats')).json();
    expect(list.chats.map((c: { roomId: string }) => c.roomId).slice(0, 2)).toEqual([second, roomId]);
  });

  it('applies an admin’s catalog change to the very next close', async () => {
    const ana = await loginAgent(as, u('ana'));
    const { room_id: dm } = await ana.createRoom({ invite: [bot()], is_direct: true, preset: Preset.TrustedPrivateChat });
    await waitFor(async () => (await ana.getJoinedRoomMembers(dm)).joined[bot()] !== undefined, 'the bot to join the admin DM', 20_000);
    expect(await botReply(ana, dm, bot(), `!tipificacion agregar ${ventas} NUEVO "Código nuevo"`)).toContain('NUEVO');

    const open = async () => (await api('POST', '/api/v1/chats', { agent: u('maria') })).json().chat.roomId as string;
    const third = await open();
    expect(await botReply(maria, third, bot(), '!cerrar NUEVO')).toContain('cerró este chat con la tipificación NUEVO');

    expect(await botReply(ana, dm, bot(), `!tipificacion desactivar ${ventas} NUEVO`)).toContain('NUEVO');
    const fourth = await open();
    expect(await botReply(maria, fourth, bot(), '!close NUEVO')).toContain('is not a valid typification');
    expect((await chatState(fourth))?.['status']).toBe('open');

    // A non-admin's catalog command is refused and changes nothing.
    const before = await as.running.db.query('SELECT code, active FROM typifications ORDER BY code');
    const { room_id: agentDm } = await maria.createRoom({ invite: [bot()], is_direct: true, preset: Preset.TrustedPrivateChat });
    await waitFor(async () => (await maria.getJoinedRoomMembers(agentDm)).joined[bot()] !== undefined, 'the bot to join', 20_000);
    expect(await botReply(maria, agentDm, bot(), `!tipificacion agregar ${ventas} OTRO "Otro"`)).toMatch(/no permitido/i);
    expect(await as.running.db.query('SELECT code, active FROM typifications ORDER BY code')).toEqual(before);
  });

  it('redirects a direct chat started from a stock client to a managed chat', async () => {
    const pedro = await loginAgent(as, u('pedro'));
    const { room_id: raw } = await pedro.createRoom({ invite: [userId(u('maria'))], is_direct: true, preset: Preset.TrustedPrivateChat });
    let managed: string | undefined;
    await waitFor(
      async () => {
        const [row] = await as.running.db.query<{ room_id: string }>(`SELECT room_id FROM chats WHERE opened_by = $1 AND status = 'open'`, [u('pedro')]);
        managed = row?.room_id;
        return managed !== undefined;
      },
      'the managed chat',
      20_000,
    );
    expect(managed).not.toBe(raw);
    expect(await chatState(managed ?? '')).toMatchObject({ status: 'open', campaign: soporte });
    const member = await pedro.getStateEvent(raw, 'm.room.member' as never, userId(u('maria')));
    expect(member).toMatchObject({ membership: 'leave', reason: expect.stringContaining('bot de Chattigo') });
  });

  it('finishes a close recorded before a crash: read-only, state, one notice', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    const room = response.json().chat.roomId as string;
    // As if the process died right after recording the close, before telling Matrix.
    const { chats, notices } = as.running.app;
    await chats.repo.beginClose(room, { by: u('jose'), at: new Date(), typification: { code: 'VENTA_OK', label: 'Venta realizada' }, origin: null });
    await notices.repo.record({ key: `closed:${room}`, roomId: room, body: 'José Pérez cerró este chat con la tipificación VENTA_OK', inReplyTo: null });
    expect((await api('GET', `/api/v1/chats/${encodeURIComponent(room)}`)).json().status).toBe('closed');

    expect(await chats.reconcile()).toBeGreaterThanOrEqual(1);
    await chats.reconcile();
    expect((await chats.repo.find(room))?.phase).toBe('closed');
    expect(await chatState(room)).toMatchObject({ status: 'closed', closed_by: userId(u('jose')), typification: { code: 'VENTA_OK' } });
    await expect(jose.sendTextMessage(room, 'hola')).rejects.toMatchObject({ httpStatus: 403 });
    expect((await botNotices(maria, room, bot())).filter((n) => n.includes('cerró este chat'))).toHaveLength(1);
  });

  it('answers a replayed !cerrar exactly like the first time, once', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    const room = response.json().chat.roomId as string;
    const { event_id: command } = await maria.sendTextMessage(room, '!cerrar VENTA_OK');
    const replies = async () => {
      const page = await maria.createMessagesRequest(room, null, 50, 'b' as never);
      return page.chunk.filter((e) => e.sender === bot() && e.content['m.relates_to']?.['m.in_reply_to']?.event_id === command);
    };
    await waitFor(async () => (await replies()).length === 1, 'the reply to the close');
    await as.running.app.processor.idle();
    // A crash after the close reached the database and Synapse, before either was marked done.
    await as.running.db.query('UPDATE appservice_events SET processed_at = NULL WHERE event_id = $1', [command]);
    await as.running.db.query('UPDATE bot_notices SET sent_at = NULL WHERE key = $1', [`reply:${command}`]);
    as.running.app.processor.schedule([room]);
    await as.running.app.processor.idle();
    const after = await replies();
    expect(after).toHaveLength(1);
    expect(String(after[0]?.content['body'])).toContain('cerró este chat con la tipificación VENTA_OK');
    expect((await botNotices(maria, room, bot())).some((n) => n.includes('ya está cerrado'))).toBe(false);
  });

  it('finishes a chat left half set up, and tears down a room that was never recorded', async () => {
    const { chats, gateway, notices } = as.running.app;
    const old = Date.now() - 10 * 60_000;
    const state = { status: 'open' as const, campaign: null, opened_by: userId(u('pedro')), opened_at: old };
    // Recorded, then the process died before anyone was invited.
    const halfDone = await createChatRoom(gateway, { starterId: userId(u('pedro')), peerId: userId(u('jose')), spaceId: null, serverName: as.stack.serverName, state });
    expect(await chats.repo.insert({ roomId: halfDone, openedBy: u('pedro'), peer: u('jose'), campaignId: null, openedAt: new Date(old) })).toBe(true);
    await notices.repo.record({ key: `opened:${halfDone}`, roomId: halfDone, body: 'Pedro Díaz abrió este chat', inReplyTo: null });
    // Created, then the process died before recording it.
    const orphan = await createChatRoom(gateway, { starterId: userId(u('maria')), peerId: userId(u('ana')), spaceId: null, serverName: as.stack.serverName, state });

    await chats.reconcile();
    expect((await chats.repo.find(halfDone))?.phase).toBe('open');
    const { joined } = await gateway.intent().getJoinedRoomMembers(halfDone);
    expect(Object.keys(joined).sort()).toEqual([bot(), userId(u('pedro')), userId(u('jose'))].sort());
    expect(await botNotices(jose, halfDone, bot())).toEqual(['Pedro Díaz abrió este chat']);
    expect((await gateway.intent().getJoinedRooms()).joined_rooms).not.toContain(orphan);
    // "Mensaje directo" between Pedro and José now finds the finished chat.
    expect((await chats.open(u('jose'), u('pedro'), undefined)).chat.roomId).toBe(halfDone);
  });

  it('removes a third person invited into a chat between two agents', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    const room = response.json().chat.roomId as string;
    await as.running.app.gateway.intent().invite(room, userId(u('pedro')));
    await waitFor(
      async () => (await as.running.app.gateway.getState<{ membership?: string }>(room, 'm.room.member', userId(u('pedro'))))?.membership === 'leave',
      'the third person to be removed',
    );
  });
});
