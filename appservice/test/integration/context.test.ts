import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_EVENT_TYPE } from '@chattigo/contracts/event-types';
import { importAgents, loginAgent, runNames } from '../helpers/agents.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { sessionToken } from '../helpers/directory.ts';
import { botNotices } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/** Issue 17: a context card from the platform at the top of an internal chat (real Synapse, stub platform). */
describe('context cards', () => {
  let as: TestAppservice;
  let platform: Server;
  let maria: MatrixClient;
  const requests: { url: string; authorization: string | undefined }[] = [];
  const { t, u } = runNames();
  const ventas = `ventas-${t}`;

  beforeAll(async () => {
    platform = createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      const id = new URL(req.url ?? '/', 'http://x').pathname.split('/')[2] ?? '';
      const answer = () =>
        res.end(
          JSON.stringify({
            customerName: 'María González',
            channel: 'WhatsApp',
            campaign: 'Ventas Hogar',
            startedAt: '2026-12-01T14:05:00.000Z',
            link: `https://platform.example/conversations/${id}`,
          }),
        );
      res.setHeader('content-type', 'application/json');
      if (id.startsWith('slow')) setTimeout(answer, 3000);
      else answer();
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    const port = (platform.address() as AddressInfo).port;
    as = await startTestAppservice({}, { platform: { contextUrl: `http://127.0.0.1:${port}/conversations/{conversationId}`, contextTimeoutMs: 500 } });
    await importAgents(as, {
      campaigns: [{ id: ventas, name: 'Ventas' }],
      accounts: [
        { username: u('jose'), displayName: 'José Pérez', campaigns: [ventas] },
        { username: u('maria'), displayName: 'María Gómez', campaigns: [ventas] },
        { username: u('pedro'), displayName: 'Pedro Díaz', campaigns: [ventas] },
      ],
    });
    maria = await loginAgent(as, u('maria'));
  });
  afterAll(async () => {
    await as?.stop();
    platform?.closeAllConnections();
    platform?.close();
  });

  const api = (username: string, method: 'POST', url: string, payload: object) =>
    as.running.app.server.inject({ method, url, headers: { authorization: `Bearer ${sessionToken(as.running.app, username)}` }, payload });

  it('adds the platform’s summary as com.chattigo.context state and a notice both agents see', async () => {
    const opened = await api(u('jose'), 'POST', '/api/v1/chats', { agent: u('maria') });
    expect(opened.statusCode).toBe(201);
    const roomId: string = opened.json().chat.roomId;
    const attached = await api(u('jose'), 'POST', `/api/v1/chats/${encodeURIComponent(roomId)}/context`, { conversationId: 'conv-42' });
    expect(attached.json()).toEqual({ accepted: true });
    expect(attached.statusCode).toBe(202);
    await waitFor(async () => (await as.running.app.gateway.getState(roomId, CONTEXT_EVENT_TYPE)) !== undefined, 'the context state');
    expect(await as.running.app.gateway.getState(roomId, CONTEXT_EVENT_TYPE)).toEqual({
      conversation_id: 'conv-42',
      customer_name: 'María González',
      channel: 'WhatsApp',
      campaign: 'Ventas Hogar',
      started_at: '2026-12-01T14:05:00.000Z',
      link: 'https://platform.example/conversations/conv-42',
      attached_by: as.running.app.gateway.userIdFor(u('jose')),
    });
    expect(requests.at(-1)?.url).toBe('/conversations/conv-42');
    expect(requests.at(-1)?.authorization).toMatch(/^Bearer ./);
    // María (as in Element) reads the card as a notice.
    await waitFor(async () => (await botNotices(maria, roomId, as.running.app.gateway.botUserId)).some((n) => n.includes('conv-42')), 'the notice');
    const notice = (await botNotices(maria, roomId, as.running.app.gateway.botUserId)).find((n) => n.includes('conv-42'));
    expect(notice).toBe('Consulta sobre el chat con María González (WhatsApp, campaña Ventas Hogar, iniciado el 01-12-26, 14:05 UTC): https://platform.example/conversations/conv-42');
  });

  it('never makes the chat wait for a slow platform: no card, and the request is answered at once', async () => {
    const opened = await api(u('pedro'), 'POST', '/api/v1/chats', { agent: u('maria') });
    const roomId: string = opened.json().chat.roomId;
    const started = Date.now();
    const attached = await api(u('pedro'), 'POST', `/api/v1/chats/${encodeURIComponent(roomId)}/context`, { conversationId: 'slow-1' });
    expect(attached.statusCode).toBe(202);
    expect(Date.now() - started).toBeLessThan(400);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await as.running.app.gateway.getState(roomId, CONTEXT_EVENT_TYPE)).toBeUndefined();
  });

  it('refuses an agent outside the chat and a bad conversation id', async () => {
    const opened = await api(u('jose'), 'POST', '/api/v1/chats', { agent: u('maria') });
    const roomId: string = opened.json().chat.roomId;
    const outsider = await api(u('pedro'), 'POST', `/api/v1/chats/${encodeURIComponent(roomId)}/context`, { conversationId: 'conv-1' });
    expect(outsider.statusCode).toBe(403);
    const bad = await api(u('jose'), 'POST', `/api/v1/chats/${encodeURIComponent(roomId)}/context`, { conversationId: '../../admin' });
    expect(bad.statusCode).toBe(400);
  });
});
