import { Direction, type MatrixClient } from 'matrix-js-sdk';
import { NOTICE_FIELD } from '@chattigo/contracts/notices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, importAgents, loginAgent, runNames } from '../helpers/agents.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { botReply } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Notices written for people (issues 15 and 17), on a real Synapse: Eva reads English (the
 * directory says so) and uses a stock client; Samuel has no language of his own and uses the web
 * client's API in Spanish. What Eva is told comes in English only, with names rather than Matrix
 * ids and with the commands she must type; the web client gets each language without commands.
 */
describe('notices in the reader’s language', () => {
  let as: TestAppservice;
  let eva: MatrixClient;
  let samuelJwt: string;
  let roomId: string;
  const { t, u } = runNames();
  const campaign = `ayuda-${t}`;

  const api = (method: 'POST', url: string, payload: object) =>
    as.running.app.server.inject({ method, url, headers: { authorization: `Bearer ${samuelJwt}`, 'accept-language': 'es' }, payload });
  const bot = () => as.running.app.gateway.botUserId;
  const botEvents = async () => {
    const page = await eva.createMessagesRequest(roomId, null, 50, Direction.Backward);
    return page.chunk.filter((e) => e.sender === bot() && e.content['msgtype'] === 'm.notice').reverse();
  };

  beforeAll(async () => {
    as = await startTestAppservice();
    await importAgents(as, {
      campaigns: [{ id: campaign, name: 'Mesa de ayuda' }],
      accounts: [
        { username: u('eva'), displayName: 'Eva Stone', campaigns: [campaign], language: 'en' },
        { username: u('samuel'), displayName: 'Samuel Ríos', campaigns: [campaign] },
      ],
      typifications: [{ campaign, code: 'RESUELTO', label: 'Resuelto' }],
    });
    eva = await loginAgent(as, u('eva'));
    samuelJwt = await apiSession(as.running.app, await loginAgent(as, u('samuel')));
  });
  afterAll(async () => {
    await as?.stop();
  });

  it('tells Eva, in English only and by name, that Samuel opened the chat and how to close it; the web client gets both languages without commands', async () => {
    const opened = await api('POST', '/api/v1/chats', { agent: u('eva') });
    expect(opened.statusCode).toBe(201);
    roomId = opened.json().chat.roomId;
    await waitFor(async () => (await botEvents()).length > 0, 'the opening notice');
    const [notice] = await botEvents();
    expect(notice?.content['body']).toBe('Samuel Ríos opened this chat (campaign Mesa de ayuda). To close it: !close <code>; valid codes: !typifications.');
    expect(notice?.content[NOTICE_FIELD]).toEqual({
      kind: 'chat.opened',
      recipients: [as.running.app.gateway.userIdFor(u('eva'))],
      texts: { es: 'Samuel Ríos abrió este chat (campaña Mesa de ayuda).', en: 'Samuel Ríos opened this chat (campaign Mesa de ayuda).' },
    });
  });

  it('answers Eva’s commands in English even when she types the Spanish words', async () => {
    expect(await botReply(eva, roomId, bot(), '!tipificaciones')).toBe('Valid typifications to close this chat: RESUELTO (Resuelto). Use: !close <code>');
    const refused = await botReply(eva, roomId, bot(), '!cerrar NADA');
    expect(refused).toMatch(/^"NADA" is not a valid typification/);
  });

  it('writes the closing notice in the language both read, naming the closer, never a Matrix id', async () => {
    const closed = await api('POST', `/api/v1/chats/${encodeURIComponent(roomId)}/close`, { code: 'RESUELTO' });
    expect(closed.statusCode).toBe(200);
    await waitFor(async () => (await botEvents()).some((e) => e.content[NOTICE_FIELD] && (e.content[NOTICE_FIELD] as { kind: string }).kind === 'chat.closed'), 'the closing notice');
    const notice = (await botEvents()).find((e) => (e.content[NOTICE_FIELD] as { kind?: string } | undefined)?.kind === 'chat.closed');
    // Samuel has no language; Eva's is English: English is the one they share.
    expect(notice?.content['body']).toBe('Samuel Ríos closed this chat with the typification RESUELTO — Resuelto. The chat is now read-only.');
    for (const event of await botEvents()) expect(String(event.content['body'])).not.toMatch(/@[a-z0-9_.=-]+:/);
  });
});
