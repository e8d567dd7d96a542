import { Preset, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets, type Secrets } from '../../src/config/secrets.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { CHAT_STATE } from '../../src/matrix/event-types.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { botNotices, botReply, loginClient } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Chats between agents on a real Synapse. José uses the bundled client's API; María behaves like
 * Element (Matrix calls and bot commands only); Ana is an admin managing the catalog by command.
 */
describe('direct chats closed with a typification', () => {
  let as: TestAppservice;
  let secrets: Secrets;
  let maria: MatrixClient;
  let jose: MatrixClient;
  let joseJwt: string;
  let roomId: string;
  const t = Date.now().toString(36);
  const u = (n: string) => `${n}${t}`;
  const ventas = `ventas-${t}`;
  const soporte = `soporte-${t}`;
  const password = 'clave de prueba';

  const api = (method: 'GET' | 'POST', url: string, payload?: object, lang = 'es') =>
    as.running.app.server.inject({ method, url, headers: { authorization: `Bearer ${joseJwt}`, 'accept-language': lang }, ...(payload ? { payload } : {}) });
  const bot = () => as.running.app.gateway.botUserId;
  const userId = (name: string) => as.running.app.gateway.userIdFor(name);
  const chatState = (room: string) => as.running.app.gateway.getState<Record<string, unknown>>(room, CHAT_STATE);

  beforeAll(async () => {
    as = await startTestAppservice();
    secrets = await loadSecrets(as.stack.secretsDir);
    const hash = await hashPassword(password);
    const imported = await as.running.app.server.inject({
      method: 'PUT',
      url: '/api/v1/provisioning/directory',
      headers: { authorization: `Bearer ${secrets.provisioning_token}` },
      payload: {
        campaigns: [
          { id: ventas, name: 'Ventas' },
          { id: soporte, name: 'Soporte' },
        ],
        accounts: [
          { username: u('jose'), displayName: 'José Pérez', campaigns: [ventas], passwordHash: hash },
          { username: u('maria'), displayName: 'María Gómez', campaigns: [ventas, soporte], passwordHash: hash },
          { username: u('pedro'), displayName: 'Pedro Díaz', campaigns: [soporte], passwordHash: hash },
          { username: u('ana'), displayName: 'Ana Admin', role: 'admin', campaigns: [], passwordHash: hash },
        ],
        typifications: [
          { campaign: ventas, code: 'VENTA_OK', label: 'Venta realizada' },
          { campaign: null, code: 'CONSULTA', label: 'Consulta resuelta' },
        ],
      },
    });
    expect(imported.statusCode).toBe(200);
    maria = await loginClient(as.stack.homeserverUrl, u('maria'), password);
    jose = await loginClient(as.stack.homeserverUrl, u('jose'), password);
    const session = await as.running.app.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${jose.getAccessToken() ?? ''}` },
    });
    joseJwt = session.json().token;
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
      `SELECT event->>'sender' AS sender FROM appservice_events
        WHERE room_id = $1 AND event_type = 'm.room.member' AND event->>'state_key' = $2 AND event->'content'->>'membership' = 'invite'`,
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
    const ana = await loginClient(as.stack.homeserverUrl, u('ana'), password);
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
    const pedro = await loginClient(as.stack.homeserverUrl, u('pedro'), password);
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

  it('reconciles a closure written to Matrix but not recorded', async () => {
    const response = await api('POST', '/api/v1/chats', { agent: u('maria') });
    const room = response.json().chat.roomId as string;
    // As if the process died between writing the room state and the database.
    await as.running.app.gateway.sendState(room, CHAT_STATE, {
      status: 'closed',
      campaign: ventas,
      opened_by: userId(u('jose')),
      opened_at: Date.now(),
      closed_by: userId(u('jose')),
      closed_at: Date.now(),
      typification: { code: 'VENTA_OK', label: 'Venta realizada' },
    });
    expect(await as.running.app.chats.reconcile()).toBeGreaterThanOrEqual(1);
    expect((await as.running.app.chats.repo.find(room))?.status).toBe('closed');
    await expect(jose.sendTextMessage(room, 'hola')).rejects.toMatchObject({ httpStatus: 403 });
  });
});
