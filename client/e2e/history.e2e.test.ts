import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDirectChat, screenshot } from './browser.ts';
import { runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

/**
 * History that can be used (issue 15): the rows of "Mis chats" (other agent, last message and its
 * time, campaign, a closed chat's typification and date, no badge once closed), and Synapse's
 * search across the chats, whose result opens the chat at the message, marked.
 */
describe('history: chat rows and search across past chats', () => {
  const tag = runTag('h');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const luis = { username: `lrojas-${tag}`, displayName: 'Luis Rojas', campaigns: ['ventas'] };
  const earlier = 'La cotización del cliente de Valparaíso quedó lista';
  const suite = e2eSuite([ana, jose, luis]);
  let a: Page;
  let b: Page;
  let roomId = '';

  const list = (page: Page) => page.getByRole('navigation', { name: /Mis chats/ });
  const send = async (page: Page, text: string) => {
    const box = page.getByLabel('Mensaje', { exact: true });
    await box.fill(text);
    await box.press('Enter');
    await page.getByTestId('message').filter({ hasText: text }).waitFor();
  };

  /** Messages sent straight to Synapse with Ana's Matrix login, as another of her devices would. */
  const sendMany = async (count: number) => {
    const raw = await a.evaluate(() => localStorage.getItem('chattigo.session'));
    const session: unknown = JSON.parse(raw ?? '{}');
    const hs = String(Reflect.get(session as object, 'homeserverUrl'));
    const token = String(Reflect.get(session as object, 'accessToken'));
    for (let i = 1; i <= count; i++) {
      const url = `${hs}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/h${tag}-${i}`;
      const answer = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'm.text', body: `Mensaje de relleno número ${i}` }),
      });
      if (!answer.ok) throw new Error(`send failed: ${answer.status} ${await answer.text()}`);
    }
  };

  beforeAll(async () => {
    b = await suite.signedInPage(jose.username);
    a = await suite.signedInPage(ana.username);
  });

  it('two agents chat; the other agent’s row shows the last message and its time, with an unread badge while open', async () => {
    await openDirectChat(a, 'jose', 'José Pérez');
    roomId = decodeURIComponent(new URL(a.url()).pathname.split('/').pop() ?? '');
    await send(a, earlier);
    // More than one sync's worth (30) after it: the search result has to page the chat back.
    await sendMany(35);
    await send(a, '¿Me confirmas el envío?');
    const row = list(b).getByTestId('chat-row').filter({ hasText: 'Ana Gómez' });
    await row.getByText('¿Me confirmas el envío?').waitFor();
    await row.locator('.badge').waitFor();
    await expect(row.locator('time').innerText()).resolves.toMatch(/^\d{2}:\d{2}$/);
    await expect(row.innerText()).resolves.toContain('Ventas');
    await row.click();
    await send(b, 'Confirmado, sale mañana');
    await list(a).getByTestId('chat-row').filter({ hasText: 'José Pérez' }).getByText('Confirmado, sale mañana').waitFor();
  });

  it('closed with a typification, the row shows the typification’s label and the date, and no badge', async () => {
    await a.getByRole('button', { name: 'Cerrar chat' }).click();
    const dialog = a.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio', { name: /Venta cerrada/ }).check();
    await dialog.getByRole('button', { name: 'Cerrar chat' }).click();
    await a.getByTestId('closed-banner').waitFor();
    // A chat with Luis stays open: it comes first.
    await openDirectChat(a, 'luis', 'Luis Rojas');
    await send(a, 'Hola Luis, ¿tienes un minuto?');
    const rows = list(a).getByTestId('chat-row');
    await rows.first().getByText('Tú: Hola Luis, ¿tienes un minuto?').waitFor();
    const closed = rows.filter({ hasText: 'José Pérez' });
    await closed.getByText('Venta cerrada').waitFor();
    await closed.getByText(/^Cerrado el \d{1,2} \w+/).waitFor();
    await expect(closed.innerText()).resolves.toContain('Confirmado, sale mañana');
    await expect(closed.innerText()).resolves.toContain('Ventas');
    await expect(rows.allInnerTexts()).resolves.toHaveLength(2);
    await expect(rows.first().innerText()).resolves.toContain('Luis Rojas');
    // After a reload too, once the sync has brought the rooms.
    await a.goto('/chats');
    await a.getByText('Elija un chat de la lista o abra uno nuevo con «Chat interno».').waitFor();
    await rows.first().getByText('Tú: Hola Luis, ¿tienes un minuto?').waitFor();
    await closed.getByText('Confirmado, sale mañana').waitFor();
    await screenshot(a, 'history-chat-list');

    // José's row: closed, and no badge even with a message he has not read (the bot's notice).
    const joseRow = list(b).getByTestId('chat-row').filter({ hasText: 'Ana Gómez' });
    await joseRow.getByText('Venta cerrada').waitFor();
    await expect(joseRow.locator('.badge').count()).resolves.toBe(0);
  });

  it('finds an earlier message with Synapse’s search; the result opens the chat at that message, marked', async () => {
    // A fresh start: the earlier message is not among what the sync brings.
    await b.goto('/chats');
    await list(b).getByTestId('chat-row').first().waitFor();
    await expect(b.getByText(earlier).count()).resolves.toBe(0);
    await list(b).getByRole('searchbox', { name: 'Buscar mensajes en mis chats' }).fill('cotización');
    const hit = list(b).getByTestId('search-hit').filter({ hasText: 'Valparaíso' });
    await hit.waitFor();
    await expect(hit.locator('.chat-link-name').innerText()).resolves.toBe('Ana Gómez');
    await expect(hit.locator('mark').first().innerText()).resolves.toBe('cotización');
    await screenshot(b, 'history-search-results');
    await hit.click();
    await b.waitForURL(/\?evento=/);
    const found = b.locator('.message.highlighted');
    await found.waitFor({ timeout: 30_000 });
    await expect(found.locator('.message-text').innerText()).resolves.toBe(earlier);
    await expect(found.isVisible()).resolves.toBe(true);
    const inView = await found.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const pane = el.closest('.timeline-scroller')?.getBoundingClientRect();
      return pane !== undefined && box.top >= pane.top && box.bottom <= pane.bottom;
    });
    expect(inView).toBe(true);
    await screenshot(b, 'history-open-at-message');
  });
});
