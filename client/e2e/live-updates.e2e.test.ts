import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { logIn, openDirectChat } from './browser.ts';
import { PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

/**
 * What each agent sees change without a reload (issue 15): the opener's typing on the other side,
 * the other agent's chat list when the opener closes, and messages that failed while the
 * connection was away sent by themselves when it returns (but not a message the server refused).
 */
describe('two agents: typing both ways, the chat list after a close, resending after the connection returns', () => {
  const tag = runTag('l');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const suite = e2eSuite([ana, jose]);
  let contextA: BrowserContext;
  let a: Page;
  let b: Page;

  const message = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text });
  const messageTexts = (page: Page) => page.getByTestId('message').locator('.message-text').allInnerTexts();

  /** Ana opens a direct message to José from the picker; José opens it from his list. */
  const openChat = async () => {
    await openDirectChat(a, 'jose', 'José Pérez');
    const roomPath = new URL(a.url()).pathname;
    await b.locator(`a[href="${roomPath}"]`).click();
    await b.getByRole('heading', { name: 'Ana Gómez', level: 2 }).waitFor();
    await b.locator('.status-tag.open').first().waitFor();
  };

  beforeAll(async () => {
    contextA = await suite.newContext();
    a = await contextA.newPage();
    b = await suite.signedInPage(jose.username);
    await a.goto('/');
    await logIn(a, ana.username, PASSWORD);
    await openChat();
  });

  it('shows the agent who opened the chat typing to the other agent, before and after a message', async () => {
    const boxA = a.getByLabel('Mensaje', { exact: true });
    const anaTyping = b.getByText('Ana Gómez está escribiendo…');
    await boxA.click();
    await boxA.pressSequentially('Hola');
    await anaTyping.waitFor({ timeout: 10_000 });
    await boxA.press('Enter');
    await message(b, 'Hola').waitFor();
    await anaTyping.waitFor({ state: 'hidden', timeout: 10_000 });

    await boxA.pressSequentially('¿Sigues ahí?');
    await anaTyping.waitFor({ timeout: 10_000 });
    await boxA.fill('');
    await anaTyping.waitFor({ state: 'hidden', timeout: 10_000 });

    // And the other way, as before.
    const boxB = b.getByLabel('Mensaje', { exact: true });
    await boxB.click();
    await boxB.pressSequentially('Sí');
    await a.getByText('José Pérez está escribiendo…').waitFor({ timeout: 10_000 });
    await boxB.press('Enter');
    await message(a, 'Sí').waitFor();
  });

  it('sends by themselves, in order, the messages that failed while the connection was away', async () => {
    await contextA.setOffline(true);
    const boxA = a.getByLabel('Mensaje', { exact: true });
    const texts = ['Primero sin conexión', 'Segundo sin conexión', 'Tercero sin conexión'];
    for (const text of texts) {
      await boxA.fill(text);
      await boxA.press('Enter');
      await message(a, text).getByText('No se envió.').waitFor();
    }
    await contextA.setOffline(false);

    // No "Reintentar" pressed: José gets all three, in the order they were written.
    await message(b, texts[2] ?? '').waitFor({ timeout: 60_000 });
    const received = await messageTexts(b);
    expect(received.filter((t) => texts.includes(t))).toEqual(texts);
    for (const text of texts) {
      await message(a, text).getByText('No se envió.').waitFor({ state: 'detached', timeout: 30_000 });
      await message(a, text).getByText('Enviando…').waitFor({ state: 'detached', timeout: 30_000 });
    }
    await expect(a.getByRole('button', { name: 'Reintentar' }).count()).resolves.toBe(0);
  });

  it('updates the other agent’s chat list live when the opener closes the chat', async () => {
    const listB = b.getByRole('navigation', { name: 'Mis chats' });
    await listB.getByRole('link', { name: /Ana Gómez.*Abierto/ }).waitFor();
    await listB.getByText('1 abierto').waitFor();

    await a.getByRole('button', { name: 'Cerrar chat' }).click();
    const dialog = a.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio', { name: /Venta cerrada/ }).check();
    await dialog.getByRole('button', { name: 'Cerrar chat' }).click();
    await dialog.waitFor({ state: 'detached' });

    await b.getByTestId('closed-banner').waitFor();
    await listB.getByRole('link', { name: /Ana Gómez.*Cerrado/ }).waitFor({ timeout: 10_000 });
    await listB.getByText('1 abierto').waitFor({ state: 'detached', timeout: 10_000 });
    await expect(listB.getByRole('link', { name: /Abierto/ }).count()).resolves.toBe(0);
  });

  it('leaves failed, with its retry button, a message the server refuses after the connection returns (the chat was closed meanwhile)', async () => {
    await openChat();
    await contextA.setOffline(true);
    const boxA = a.getByLabel('Mensaje', { exact: true });
    const text = 'Escrito sin conexión, cerrado entretanto';
    await boxA.fill(text);
    await boxA.press('Enter');
    await message(a, text).getByText('No se envió.').waitFor();

    // José closes the chat while Ana is away.
    await b.getByRole('button', { name: 'Cerrar chat' }).click();
    const dialog = b.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio', { name: /Consulta resuelta/ }).check();
    await dialog.getByRole('button', { name: 'Cerrar chat' }).click();
    await dialog.waitFor({ state: 'detached' });

    await contextA.setOffline(false);
    await a.getByTestId('closed-banner').waitFor({ timeout: 60_000 });
    // Whatever the client tried after coming back, the message ends refused, with its button.
    await a.waitForTimeout(3000);
    const failed = message(a, text);
    await failed.getByText('No se envió.').waitFor({ timeout: 30_000 });
    await failed.getByRole('button', { name: 'Reintentar' }).waitFor();
    await expect(message(b, text).count()).resolves.toBe(0);
  });
});
