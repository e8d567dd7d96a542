import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../appservice/test/helpers/samples/images.ts';
import { horizontalOverflow, logIn, openDirectChat, PHONE, screenshot } from './browser.ts';
import { PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

interface RawEvent {
  event_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
  redacts?: string;
}

/**
 * A peer as a stock Matrix client (Element) talks to the homeserver: the client-server API with
 * Element's shapes for replies (with the legacy fallback), edits, reactions and redactions.
 */
class StockClient {
  private txn = 0;
  private readonly baseUrl: string;
  readonly userId: string;
  private readonly token: string;
  constructor(baseUrl: string, userId: string, token: string) {
    this.baseUrl = baseUrl;
    this.userId = userId;
    this.token = token;
  }

  static async logIn(baseUrl: string, username: string): Promise<StockClient> {
    const answer = await fetch(`${baseUrl}/_matrix/client/v3/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: username }, password: PASSWORD }),
    });
    if (!answer.ok) throw new Error(`login ${answer.status} ${await answer.text()}`);
    const body = (await answer.json()) as { user_id: string; access_token: string };
    return new StockClient(baseUrl, body.user_id, body.access_token);
  }

  private async call<T>(method: string, path: string, body?: object): Promise<T> {
    const answer = await fetch(`${this.baseUrl}/_matrix/client/v3${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  }

  async send(roomId: string, type: 'm.room.message' | 'm.reaction', content: object): Promise<string> {
    const room = encodeURIComponent(roomId);
    return (await this.call<{ event_id: string }>('PUT', `/rooms/${room}/send/${type}/e2e-${Date.now()}-${++this.txn}`, content)).event_id;
  }

  async redact(roomId: string, eventId: string): Promise<void> {
    await this.call('PUT', `/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/e2e-r-${Date.now()}-${++this.txn}`, {});
  }

  async setPresence(presence: 'online' | 'offline'): Promise<void> {
    await this.call('PUT', `/presence/${encodeURIComponent(this.userId)}/status`, { presence });
  }

  /** The room's latest events, oldest first, as `/messages` gives them to any client. */
  async messages(roomId: string): Promise<RawEvent[]> {
    const page = await this.call<{ chunk: RawEvent[] }>('GET', `/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`);
    return page.chunk.reverse();
  }
}

describe('messages like the chat apps, with a peer on a stock client (Element’s shapes)', () => {
  const tag = runTag('m');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const suite = e2eSuite([ana, jose]);
  let a: Page;
  let peer: StockClient;
  let roomId = '';
  const ids: Record<string, string> = {};

  const message = (text: string) => a.getByTestId('message').filter({ hasText: text });
  const idOfBody = async (body: string) => {
    for (let i = 0; i < 50; i++) {
      const found = (await peer.messages(roomId)).find((e) => e.type === 'm.room.message' && e.content.body === body);
      if (found) return found.event_id;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no event with body ${body}`);
  };
  const openMenu = async (sender: string, text: string) => {
    const row = message(text);
    await row.hover();
    await row.getByRole('button', { name: `Acciones del mensaje de ${sender}` }).click();
    return row.getByRole('group', { name: `Acciones del mensaje de ${sender}` });
  };
  const write = async (text: string) => {
    const box = a.getByLabel('Mensaje', { exact: true });
    await box.fill(text);
    await box.press('Enter');
  };

  beforeAll(async () => {
    a = await suite.signedInPage(ana.username);
    peer = await StockClient.logIn(suite.stack.appservice.stack.homeserverUrl, jose.username);

    await openDirectChat(a, 'jose', 'José Pérez');
    roomId = decodeURIComponent(new URL(a.url()).pathname.split('/').pop() ?? '');
    await peer.setPresence('online');
  });

  it('shows no "load earlier" at the start of a new chat, and the other agent’s presence', async () => {
    await message('abrió').or(a.getByTestId('system-notice').first()).first().waitFor();
    // The chat's first events come by themselves: nothing earlier to load.
    await a.getByRole('button', { name: 'Cargar mensajes anteriores' }).waitFor({ state: 'detached', timeout: 15_000 });
    await a.waitForTimeout(1000);
    await expect(a.getByRole('button', { name: 'Cargar mensajes anteriores' }).count()).resolves.toBe(0);
    await a.getByTestId('presence').filter({ hasText: /^activo/ }).waitFor({ timeout: 30_000 });
  });

  it('shows the peer’s reply (fallback stripped), edit, reaction and delete as Element sends them', async () => {
    await write('¿Tiene el número de pedido?');
    ids.question = await idOfBody('¿Tiene el número de pedido?');

    ids.reply = await peer.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: `> <@${ana.username}:x> ¿Tiene el número de pedido?\n\nSí, es el 4471`,
      format: 'org.matrix.custom.html',
      formatted_body: `<mx-reply><blockquote><a href="https://matrix.to/#/${roomId}/${ids.question}">In reply to</a> <a href="https://matrix.to/#/@${ana.username}:x">@${ana.username}:x</a><br>¿Tiene el número de pedido?</blockquote></mx-reply>Sí, es el 4471`,
      'm.relates_to': { 'm.in_reply_to': { event_id: ids.question } },
    });
    ids.late = await peer.send(roomId, 'm.room.message', { msgtype: 'm.text', body: 'Llega mañana a las 10' });
    await peer.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: '* Llega mañana a las 11',
      'm.new_content': { msgtype: 'm.text', body: 'Llega mañana a las 11' },
      'm.relates_to': { rel_type: 'm.replace', event_id: ids.late },
    });
    await peer.send(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: ids.question, key: '👍' } });
    const gone = await peer.send(roomId, 'm.room.message', { msgtype: 'm.text', body: 'Me equivoqué de chat' });
    await peer.redact(roomId, gone);

    const reply = message('Sí, es el 4471');
    await reply.waitFor();
    await expect(reply.locator('.message-text').innerText()).resolves.toBe('Sí, es el 4471');
    await expect(reply.locator('.quote').innerText()).resolves.toContain('Ana Gómez');
    await expect(reply.locator('.quote').innerText()).resolves.toContain('¿Tiene el número de pedido?');
    const edited = message('Llega mañana a las 11');
    await edited.getByText('(editado)').waitFor();
    await expect(message('Llega mañana a las 10').count()).resolves.toBe(0);
    await expect(a.getByText('* Llega').count()).resolves.toBe(0);
    await message('¿Tiene el número de pedido?').first().getByRole('button', { name: 'Reaccionar también con 👍 (1: José Pérez)' }).waitFor();
    await a.getByTestId('message').getByText('Mensaje eliminado.').waitFor();
    await expect(a.getByText('Me equivoqué de chat').count()).resolves.toBe(0);

    // The quote takes the agent to the message it answers.
    await reply.locator('.quote').click();
    await expect(a.evaluate(() => document.activeElement?.id)).resolves.toBe(`message-${ids.question}`);
  });

  it('replies, edits, reacts and deletes in the browser, and the peer reads Element’s shapes through /messages', async () => {
    await (await openMenu('José Pérez', 'Sí, es el 4471')).getByRole('button', { name: 'Responder' }).click();
    await a.getByTestId('composer-context').getByText('Respondiendo a José Pérez').waitFor();
    await write('Perfecto, gracias');
    await message('Perfecto, gracias').locator('.quote').getByText('Sí, es el 4471').waitFor();

    await (await openMenu('José Pérez', 'Llega mañana a las 11')).getByRole('button', { name: 'Reaccionar con ❤️' }).click();
    await message('Llega mañana a las 11').getByRole('button', { name: 'Quitar su reacción ❤️ (1: Ana Gómez)' }).waitFor();

    await write('Te lo envío el lunes');
    await message('Te lo envío el lunes').getByText('Enviando…').waitFor({ state: 'detached' });
    await (await openMenu('Ana Gómez', 'Te lo envío el lunes')).getByRole('button', { name: 'Editar' }).click();
    const box = a.getByLabel('Mensaje', { exact: true });
    await expect(box.inputValue()).resolves.toBe('Te lo envío el lunes');
    await box.fill('Te lo envío el martes');
    await box.press('Enter');
    await message('Te lo envío el martes').getByText('(editado)').waitFor();

    await write('Esto sobra');
    await message('Esto sobra').getByText('Enviando…').waitFor({ state: 'detached' });
    await (await openMenu('Ana Gómez', 'Esto sobra')).getByRole('button', { name: 'Eliminar' }).click();
    await a.getByRole('dialog', { name: '¿Eliminar este mensaje?' }).getByRole('button', { name: 'Eliminar mensaje' }).click();
    await message('Esto sobra').waitFor({ state: 'detached' });
    await screenshot(a, 'desktop-chat-reply-edit-reactions');

    const events = await peer.messages(roomId);
    const reply = events.find((e) => e.content.body === 'Perfecto, gracias');
    expect(reply?.content['m.relates_to']).toEqual({ 'm.in_reply_to': { event_id: ids.reply } });
    const original = events.find((e) => e.content.body === 'Te lo envío el lunes');
    const edit = events.find((e) => e.content.body === '* Te lo envío el martes');
    expect(edit?.sender).toBe(original?.sender);
    expect(edit?.content['m.new_content']).toEqual({ msgtype: 'm.text', body: 'Te lo envío el martes' });
    expect(edit?.content['m.relates_to']).toEqual({ rel_type: 'm.replace', event_id: original?.event_id });
    ids.ana = original?.sender ?? '';
    const heart = events.find((e) => e.type === 'm.reaction' && e.sender === ids.ana);
    expect(heart?.content['m.relates_to']).toEqual({ rel_type: 'm.annotation', event_id: ids.late, key: '❤️' });
    const redaction = events.find((e) => e.type === 'm.room.redaction' && e.sender === original?.sender);
    const redacted = events.find((e) => e.event_id === (redaction?.redacts ?? redaction?.content.redacts));
    expect(redacted?.type).toBe('m.room.message');
    expect(redacted?.content).toEqual({});
  });

  it('takes back one’s own reaction with a redaction', async () => {
    await message('Llega mañana a las 11').getByRole('button', { name: 'Quitar su reacción ❤️ (1: Ana Gómez)' }).click();
    await message('Llega mañana a las 11').locator('.reaction').waitFor({ state: 'detached' });
    // The peer sees Ana's reaction redacted (its content gone), José's own 👍 untouched.
    await expect
      .poll(async () => (await peer.messages(roomId)).filter((e) => e.type === 'm.reaction').map((e) => [e.sender === ids.ana ? 'ana' : 'jose', e.content]), { timeout: 10_000 })
      .toEqual([
        ['jose', { 'm.relates_to': { rel_type: 'm.annotation', event_id: ids.question, key: '👍' } }],
        ['ana', {}],
      ]);
  });

  it('enlarges an image in a dialog that Escape closes', async () => {
    await a.getByTestId('file-input').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png(64, 48) });
    await a.getByRole('button', { name: 'Ampliar la imagen foto.png' }).click();
    const viewer = a.getByRole('dialog', { name: 'foto.png' });
    await viewer.getByRole('button', { name: 'Imagen: foto.png' }).locator('img').waitFor();
    await expect(viewer.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(64);
    await a.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('marks "Mensajes nuevos" when the chat opens with unread messages', async () => {
    // Away from the chat (a reload: the read receipt comes from the homeserver again).
    await a.goto('/chats');
    await peer.send(roomId, 'm.room.message', { msgtype: 'm.text', body: 'Otra cosa' });
    await peer.send(roomId, 'm.room.message', { msgtype: 'm.text', body: 'Y una más' });
    const link = a.getByRole('navigation', { name: 'Mis chats' }).getByRole('link', { name: /José Pérez/ });
    await link.getByLabel('2 sin leer').waitFor({ timeout: 15_000 });
    await link.click();
    const divider = a.getByTestId('unread-divider');
    await divider.waitFor();
    await expect(divider.evaluate((el) => el.nextElementSibling?.textContent ?? '')).resolves.toContain('Otra cosa');
  });

  it('on a phone: a long press on a message opens its menu, in the flow, with nothing off the screen', async () => {
    const phone = await suite.newPage(PHONE);
    await phone.goto('/');
    await logIn(phone, ana.username, PASSWORD);
    await phone.goto(`/chats/${encodeURIComponent(roomId)}`);
    const row = phone.getByTestId('message').filter({ hasText: 'Llega mañana a las 11' });
    await row.waitFor();
    // No hover on a touch screen: the "⋯" button is there, and a long press opens the same menu.
    await expect(row.getByRole('button', { name: 'Acciones del mensaje de José Pérez' }).isVisible()).resolves.toBe(true);
    await row.locator('.bubble').dispatchEvent('pointerdown', { pointerType: 'touch', isPrimary: true });
    await phone.waitForTimeout(700);
    await row.getByRole('button', { name: 'Responder' }).waitFor();
    await expect(horizontalOverflow(phone)).resolves.toBe(0);
    await screenshot(phone, 'phone-chat-message-menu');
    await phone.keyboard.press('Escape');
  });
});
