import { randomBytes } from 'node:crypto';
import { MatrixError, Preset, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAgents, loginAgent, runNames } from '../helpers/agents.ts';
import { startTestAppservice, waitUntilProcessed, type TestAppservice } from '../helpers/appservice.ts';
import { botReply } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Issue 12, finding 4: what an agent can do with a stock client (Element, curl) around the rules.
 * Room creation, invites and joins are judged by Synapse's chattigo_policy module; what reaches a
 * managed chat is judged by the appservice's room policy.
 */
describe('no unmanaged rooms for agents, and nothing unchecked in managed chats', () => {
  let as: TestAppservice;
  let maria: MatrixClient;
  let pedro: MatrixClient;
  const { t, u } = runNames();
  const campaign = `campana-${t}`;
  const bot = () => as.running.app.gateway.botUserId;
  const userId = (name: string) => as.running.app.gateway.userIdFor(name);

  beforeAll(async () => {
    as = await startTestAppservice();
    await importAgents(as, {
      campaigns: [{ id: campaign, name: 'Campaña' }],
      accounts: [
        { username: u('maria'), displayName: 'María Gómez', campaigns: [campaign] },
        { username: u('pedro'), displayName: 'Pedro Díaz', campaigns: [campaign] },
        { username: u('lucia'), displayName: 'Lucía Ruiz', campaigns: [campaign] },
      ],
      typifications: [{ campaign: null, code: 'CONSULTA', label: 'Consulta resuelta' }],
    });
    maria = await loginAgent(as, u('maria'));
    pedro = await loginAgent(as, u('pedro'));
  });
  afterAll(async () => {
    await as?.stop();
  });

  /** The error of a refused call: HTTP status, errcode and message. */
  async function refusal(call: Promise<unknown>): Promise<{ status: number; errcode: string; message: string }> {
    try {
      await call;
    } catch (err) {
      if (err instanceof MatrixError) return { status: err.httpStatus ?? 0, errcode: err.errcode ?? '', message: err.data.error ?? '' };
      throw err;
    }
    throw new Error('the call was not refused');
  }

  const expectHowToChat = (message: string) => {
    expect(message).toContain('!chatear <usuario>');
    expect(message).toContain('cliente web de Chattigo');
    expect(message).toContain('!chat <username>');
    expect(message).toContain('Chattigo web client');
  };

  describe('rooms agents create, join and invite to (Synapse module)', () => {
    it('refuses an ordinary group room with colleagues, with a reason saying how to open a chat', async () => {
      const refused = await refusal(maria.createRoom({ name: 'Grupo', invite: [userId(u('pedro')), userId(u('lucia'))] }));
      expect(refused).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      expectHowToChat(refused.message);
      // Nor one without invitees (to invite later), a public room or a space.
      for (const options of [{ name: 'Sola' }, { preset: Preset.PublicChat, visibility: 'public' }, { creation_content: { type: 'm.space' } }]) {
        expect(await refusal(maria.createRoom(options as never))).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      }
    });

    it('refuses an encrypted room, with a colleague or even with only the bot', async () => {
      const encryption = { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } };
      for (const invite of [[userId(u('pedro'))], [bot()]]) {
        const refused = await refusal(maria.createRoom({ invite, preset: Preset.PrivateChat, initial_state: [encryption] }));
        expect(refused).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
        expectHowToChat(refused.message);
      }
    });

    it('lets an agent open a direct chat with the bot from Element, where the bot answers; nobody else gets in', async () => {
      const { room_id: dm } = await maria.createRoom({ invite: [bot()], is_direct: true, preset: Preset.TrustedPrivateChat });
      await waitFor(async () => (await maria.getJoinedRoomMembers(dm)).joined[bot()] !== undefined, 'the bot to join', 20_000);
      expect(await botReply(maria, dm, bot(), '!ayuda')).toContain('!chatear');

      const invite = await refusal(maria.invite(dm, userId(u('pedro'))));
      expect(invite).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      expectHowToChat(invite.message);
      // Even if the room were opened to anyone, a colleague could not join it.
      await maria.sendStateEvent(dm, 'm.room.join_rules' as never, { join_rule: 'public' } as never, '');
      const join = await refusal(pedro.joinRoom(dm));
      expect(join).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      expectHowToChat(join.message);
    });

    it('redirects Element’s "Start chat" with a colleague to a managed chat, and nobody can join the raw room', async () => {
      // The request Element makes for "Start chat" (encrypted, as Element does when the peer has keys).
      const { room_id: raw } = await pedro.createRoom({
        preset: Preset.TrustedPrivateChat,
        is_direct: true,
        invite: [userId(u('lucia'))],
        initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
      });
      let managed: string | undefined;
      await waitFor(
        async () => {
          const [row] = await as.running.db.query<{ room_id: string }>(
            `SELECT room_id FROM chats WHERE opened_by = $1 AND peer = $2 AND status = 'open'`,
            [u('pedro'), u('lucia')],
          );
          managed = row?.room_id;
          return managed !== undefined;
        },
        'the managed chat',
        20_000,
      );
      expect(managed).not.toBe(raw);
      const lucia = await loginAgent(as, u('lucia'));
      const join = await refusal(lucia.joinRoom(raw));
      expect(join).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      expectHowToChat(join.message);
      expect(await refusal(pedro.invite(raw, userId(u('maria'))))).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
      // The managed chat works: Lucía is in it and can write.
      await lucia.sendTextMessage(managed ?? '', 'hola Pedro');
    });
  });

  describe('managed chats (appservice room policy)', () => {
    let room: string;

    beforeAll(async () => {
      const { chat } = await as.running.app.chats.open(u('maria'), u('pedro'), undefined);
      room = chat.roomId;
    });

    const processed = (eventId: string) => waitUntilProcessed(as, eventId);

    const redaction = async (eventId: string) => (await pedro.fetchRoomEvent(room, eventId)).unsigned?.redacted_because;

    /** A raw send, as curl would do it. */
    async function send(client: MatrixClient, type: string, content: object): Promise<string> {
      const txn = `t${Date.now()}${randomBytes(4).toString('hex')}`;
      const response = await fetch(
        `${as.stack.homeserverUrl}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/${type}/${txn}`,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${client.getAccessToken() ?? ''}`, 'content-type': 'application/json' },
          body: JSON.stringify(content),
        },
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { event_id: string }).event_id;
    }

    /** The content of a text message with an HTML body. */
    const htmlText = (body: string, html: string) => ({ msgtype: 'm.text', body, format: 'org.matrix.custom.html', formatted_body: html });

    it('redacts a hand-made m.room.encrypted event', async () => {
      const eventId = await send(maria, 'm.room.encrypted', {
        algorithm: 'm.megolm.v1.aes-sha2',
        ciphertext: 'AwgAEnAC',
        sender_key: 'x',
        session_id: 'y',
        device_id: 'Z',
      });
      await waitFor(async () => (await redaction(eventId)) !== undefined, 'the encrypted event to be redacted');
      expect((await redaction(eventId))?.sender).toBe(bot());
      expect((await redaction(eventId))?.content?.['reason']).toContain('cifrados');
    });

    it('redacts a message with an inline <img> and keeps ordinary formatted messages', async () => {
      const inline = await send(maria, 'm.room.message', htmlText('mira', 'mira <IMG src="mxc://chattigo.test/cualquiera">'));
      const edit = await send(maria, 'm.room.message', {
        msgtype: 'm.text',
        body: '* mira',
        'm.new_content': htmlText('mira', '<img src="mxc://x/y"/>'),
        'm.relates_to': { rel_type: 'm.replace', event_id: inline },
      });
      const fine = await send(maria, 'm.room.message', htmlText('hola <img>', '<b>hola</b> &lt;img&gt;'));
      await waitFor(async () => (await redaction(inline)) !== undefined, 'the inline image to be redacted');
      await waitFor(async () => (await redaction(edit)) !== undefined, 'the edit to be redacted');
      expect((await redaction(inline))?.content?.['reason']).toContain('imágenes dentro del texto');
      await processed(fine);
      expect(await redaction(fine)).toBeUndefined();
    });

    it('redacts a display name or avatar change after the chat is closed, not before', async () => {
      const before = await maria.sendStateEvent(
        room,
        'm.room.member' as never,
        { membership: 'join', displayname: 'María (abierto)' } as never,
        maria.getUserId() ?? '',
      );
      await processed(before.event_id);
      expect(await redaction(before.event_id)).toBeUndefined();

      expect(await botReply(maria, room, bot(), '!cerrar CONSULTA')).toContain('cerró este chat');
      const after = await maria.sendStateEvent(
        room,
        'm.room.member' as never,
        { membership: 'join', displayname: 'Nombre falso', avatar_url: 'mxc://chattigo.test/falsa' } as never,
        maria.getUserId() ?? '',
      );
      await waitFor(async () => (await redaction(after.event_id)) !== undefined, 'the member change to be redacted');
      const member = await pedro.getStateEvent(room, 'm.room.member' as never, maria.getUserId() ?? '');
      expect(member).toEqual({ membership: 'join' });
    });
  });
});
