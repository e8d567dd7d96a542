import { createClient, Direction, Preset, type MatrixClient } from 'matrix-js-sdk';
import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditRepository as auditIn, createTypificationRepository as typificationsIn } from '../../src/features/typifications/repository.ts';
import { TYPIFICATIONS_EVENT, TypificationsContentSchema } from '@chattigo/contracts/event-types';
import { sdkLogger } from '../../src/matrix/sdk-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startTestAppservice, waitUntilProcessed, type TestAppservice } from '../helpers/appservice.ts';
import { waitFor } from '../helpers/wait.ts';

interface Person {
  username: string;
  userId: string;
  client: MatrixClient;
  token: string;
  dm: string;
}

/**
 * Admins manage typifications by talking to the bot in a direct chat, on a real Synapse: the bot
 * joins when invited, answers with notices, changes the catalog and publishes it in the campaign space.
 */
describe('typification commands through the bot', () => {
  let as: TestAppservice;
  let admin: Person;
  let agent: Person;
  let spaceId: string;
  const run = Date.now().toString(36);

  const botId = () => as.running.app.gateway.botUserId;

  async function person(username: string, role: 'admin' | 'agent'): Promise<Person> {
    const { app, db } = as.running;
    await db.query('INSERT INTO accounts (username, display_name, role) VALUES ($1, $1, $2)', [username, role]);
    await db.query(`INSERT INTO memberships (username, campaign_id) VALUES ($1, 'ventas')`, [username]);
    const { userId, accessToken } = await app.gateway.registerUser(`${as.config.matrix.userPrefix}${username}`, { login: true });
    if (!accessToken) throw new Error(`no access token for ${username}`);
    const client = createClient({ baseUrl: as.stack.homeserverUrl, accessToken, userId, logger: sdkLogger(createLogger('silent')) });
    const { room_id: dm } = await client.createRoom({ invite: [botId()], is_direct: true, preset: Preset.TrustedPrivateChat });
    await waitFor(async () => (await client.getJoinedRoomMembers(dm)).joined[botId()] !== undefined, `the bot to join ${username}'s chat`, 20_000);
    return { username, userId, client, token: accessToken, dm };
  }

  /** Sends a command and resolves to the body of the bot's notice that replies to it. */
  async function command(who: Person, text: string): Promise<string> {
    const { event_id: eventId } = await who.client.sendTextMessage(who.dm, text);
    let body: string | undefined;
    await waitFor(
      async () => {
        const page = await who.client.createMessagesRequest(who.dm, null, 20, Direction.Backward);
        const notice = page.chunk.find(
          (e) => e.sender === botId() && e.content['msgtype'] === 'm.notice' && e.content['m.relates_to']?.['m.in_reply_to']?.event_id === eventId,
        );
        body = typeof notice?.content['body'] === 'string' ? notice.content['body'] : undefined;
        return body !== undefined;
      },
      `the bot's reply to "${text}"`,
      20_000,
    );
    return body ?? '';
  }

  async function publishedCodes(): Promise<string[]> {
    const content: unknown = await as.running.app.gateway.intent().getStateEvent(spaceId, TYPIFICATIONS_EVENT, '');
    if (!Value.Check(TypificationsContentSchema, content)) throw new Error(`unexpected state content ${JSON.stringify(content)}`);
    expect(content.campaign).toBe('ventas');
    return content.typifications.map((t) => t.code);
  }

  beforeAll(async () => {
    as = await startTestAppservice();
    const { app, db } = as.running;
    ({ room_id: spaceId } = await app.gateway.intent().createRoom({ name: 'Ventas', creation_content: { type: 'm.space' } }));
    await db.query(`INSERT INTO campaigns (id, name, space_room_id) VALUES ('ventas', 'Ventas', $1), ('soporte', 'Soporte', NULL)`, [spaceId]);
    admin = await person(`ana${run}`, 'admin');
    agent = await person(`beto${run}`, 'agent');
  });
  afterAll(async () => {
    await as?.stop();
  });

  it('greets in the direct chat it joined', async () => {
    const page = await admin.client.createMessagesRequest(admin.dm, null, 20, Direction.Backward);
    expect(page.chunk.some((e) => e.sender === botId() && String(e.content['body']).includes('Escriba !ayuda'))).toBe(true);
  });

  it('adds a code for an admin, says so, and publishes the catalog in the campaign space', async () => {
    const reply = await command(admin, '!tipificacion agregar ventas venta_ok "Venta concretada" "El cliente compró"');
    expect(reply).toBe('Agregada en la campaña ventas (Ventas): VENTA_OK «Venta concretada» — El cliente compró. Ya se puede usar para cerrar chats.');
    const forClose = await as.running.app.typifications.forClose('ventas', 'VENTA_OK');
    expect(forClose).toMatchObject({ code: 'VENTA_OK', label: 'Venta concretada', active: true });
    expect(await publishedCodes()).toEqual(['VENTA_OK']);
  });

  it('re-publishes every campaign space after a change to the global catalog', async () => {
    const reply = await command(admin, '!typification add global NO_ANSWER "No contesta"');
    expect(reply).toBe('Added to the global catalog: NO_ANSWER "No contesta". It can now be used to close chats.');
    expect(await publishedCodes()).toEqual(['NO_ANSWER', 'VENTA_OK']);
  });

  it('deactivates a code: the notice says so and the code can no longer close a chat', async () => {
    const reply = await command(admin, '!tipificacion desactivar ventas VENTA_OK');
    expect(reply).toMatch(/^Desactivada en la campaña ventas \(Ventas\): VENTA_OK «Venta concretada»\. Ya no se puede usar para cerrar chats/);
    expect(await as.running.app.typifications.forClose('ventas', 'VENTA_OK')).toBeUndefined();
    expect(await typificationsIn(as.running.db).find('ventas', 'VENTA_OK')).toMatchObject({ active: false });
    expect(await publishedCodes()).toEqual(['NO_ANSWER']);
  });

  it('refuses an agent’s add and changes nothing', async () => {
    const { db } = as.running;
    const catalogBefore = await typificationsIn(db).listAll({ includeInactive: true });
    const auditBefore = await auditIn(db).recent({ limit: 100 });
    const reply = await command(agent, '!tipificacion agregar ventas NUEVA "Nueva"');
    expect(reply).toBe('No permitido: «!tipificacion agregar» es solo para administradores. No se cambió nada.');
    expect(await typificationsIn(db).listAll({ includeInactive: true })).toEqual(catalogBefore);
    expect(await auditIn(db).recent({ limit: 100 })).toEqual(auditBefore);
  });

  it('answers !help in English and a malformed command with the expected syntax', async () => {
    const help = await command(admin, '!help');
    expect(help).toMatch(/^Commands available here:\n/);
    expect(help).toContain('!typification add <campaign|global> <CODE> "<label>" ["<description>"]');
    const malformed = await command(admin, '!tipificacion agregar ventas');
    expect(malformed).toBe('Falta <CÓDIGO>.\nSintaxis: !tipificacion agregar <campaña|global> <CÓDIGO> "<etiqueta>" ["<descripción>"]');
  });

  it('treats a deactivated admin account as not an admin', async () => {
    const { db } = as.running;
    await db.query('UPDATE accounts SET active = false WHERE username = $1', [admin.username]);
    try {
      expect(await command(admin, '!tipificacion reactivar ventas VENTA_OK')).toMatch(/^No permitido:/);
      expect(await typificationsIn(db).find('ventas', 'VENTA_OK')).toMatchObject({ active: false });
    } finally {
      await db.query('UPDATE accounts SET active = true WHERE username = $1', [admin.username]);
    }
  });

  it('stays silent in a room that is not a direct chat with it', async () => {
    // Agents may not create group rooms (Synapse's chattigo_policy module): the bot's own is used.
    const { room_id: roomId } = await as.running.app.gateway.intent().createRoom({ invite: [admin.userId, agent.userId], preset: Preset.PrivateChat });
    await admin.client.joinRoom(roomId);
    await agent.client.joinRoom(roomId);
    await waitFor(async () => Object.keys((await admin.client.getJoinedRoomMembers(roomId)).joined).length === 3, 'the bot and the agent to join');
    const { event_id: eventId } = await admin.client.sendTextMessage(roomId, '!ayuda');
    await waitUntilProcessed(as, eventId, 'the command to be processed');
    const page = await admin.client.createMessagesRequest(roomId, null, 50, Direction.Backward);
    expect(page.chunk.filter((e) => e.sender === botId() && e.type === 'm.room.message')).toEqual([]);
  });

  it('lets an admin read the audit through the API, and an agent the campaign catalog', async () => {
    const { server } = as.running.app;
    const session = async (who: Person) =>
      (await server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${who.token}` } })).json<{ token: string }>().token;
    const adminToken = await session(admin);
    const audit = await server.inject({ method: 'GET', url: '/api/v1/typifications/audit', headers: { authorization: `Bearer ${adminToken}` } });
    expect(audit.statusCode).toBe(200);
    const entries = audit.json<{ entries: { actor: string; action: string; code: string; source: string }[] }>().entries;
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.code}`)).toEqual([
      `${admin.username} deactivate VENTA_OK`,
      `${admin.username} create NO_ANSWER`,
      `${admin.username} create VENTA_OK`,
    ]);
    expect(entries[0]?.source).toMatch(/^\$/);

    const agentToken = await session(agent);
    const forbidden = await server.inject({ method: 'GET', url: '/api/v1/typifications/audit', headers: { authorization: `Bearer ${agentToken}` } });
    expect(forbidden.statusCode).toBe(403);
    const catalog = await server.inject({ method: 'GET', url: '/api/v1/typifications?campaign=ventas', headers: { authorization: `Bearer ${agentToken}` } });
    expect(catalog.json()).toEqual({ campaign: 'ventas', typifications: [{ code: 'NO_ANSWER', label: 'No contesta', description: null }] });
  });
});
