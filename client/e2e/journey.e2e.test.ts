import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot } from './browser.ts';
import { png } from '../../appservice/test/helpers/samples/images.ts';
import { docx } from '../../appservice/test/helpers/samples/office.ts';
import { pdf } from '../../appservice/test/helpers/samples/pdf.ts';
import { E2E_UPLOAD_LIMIT, PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

describe('two agents on computers: picker, direct message, files, closing', () => {
  const tag = runTag('d');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const josefina = { username: `jmartinez-${tag}`, displayName: 'Josefina Martínez', campaigns: ['ventas', 'soporte'] };
  const others = [
    josefina,
    { username: `mjgonzalez-${tag}`, displayName: 'María José González', campaigns: ['soporte'] },
    { username: `lrojas-${tag}`, displayName: 'Luis Rojas', campaigns: ['soporte'] },
  ];
  const suite = e2eSuite([ana, jose, ...others]);
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let a: Page;
  let b: Page;
  const fetched: string[] = [];

  beforeAll(async () => {
    contextA = await suite.newContext();
    contextB = await suite.newContext();
    a = await contextA.newPage();
    b = await contextB.newPage();
    for (const page of [a, b]) page.on('request', (request) => fetched.push(request.url()));
  });

  it('logs both agents in', async () => {
    await b.goto('/');
    await logIn(b, jose.username, PASSWORD);
    await a.goto('/');
    await expect(a.getByRole('heading', { name: 'Iniciar sesión' }).isVisible()).resolves.toBe(true);
    await screenshot(a, 'desktop-login');
    await logIn(a, ana.username, PASSWORD);
  });

  it('opens the agent picker from the last toolbar button and searches "jose" ignoring accents', async () => {
    const toolbarButtons = a.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button');
    await expect(toolbarButtons.last().getAttribute('aria-label')).resolves.toBe('Chat interno: elegir un agente para conversar');
    await toolbarButtons.last().click();
    await a.getByRole('heading', { name: 'Agentes', exact: true }).waitFor();
    await a.getByLabel('Buscar agente por nombre').fill('jose');
    await a.waitForFunction(() => document.querySelectorAll('.agent-row').length === 3);
    const names = await a.locator('.agent-display-name').allInnerTexts();
    expect(names.sort()).toEqual(['José Pérez', 'Josefina Martínez', 'María José González'].sort());
    const josefinaRow = a.locator('.agent-row', { hasText: 'Josefina Martínez' });
    await expect(josefinaRow.locator('.campaigns').innerText()).resolves.toBe('Campañas: Soporte técnico y Ventas');
    await expect(josefinaRow.locator('.attention').innerText()).resolves.toMatch(/^Chats en atención: \d+$/);
  });

  it('updates activity and chats in attention live', async () => {
    await suite.stack.reportWorkload([
      { username: jose.username, status: 'online', chatsInAttention: 3 },
      { username: josefina.username, status: 'offline', chatsInAttention: 0 },
    ]);
    const active = a.getByRole('region', { name: /^Activos/ });
    const inactive = a.getByRole('region', { name: /^Inactivos/ });
    await active.locator('.agent-row', { hasText: 'José Pérez' }).getByText('Chats en atención: 3').waitFor();
    await inactive.locator('.agent-row', { hasText: 'Josefina Martínez' }).waitFor();
    await suite.stack.reportWorkload([{ username: jose.username, status: 'online', chatsInAttention: 5 }]);
    await active.locator('.agent-row', { hasText: 'José Pérez' }).getByText('Chats en atención: 5').waitFor();
    await suite.stack.reportWorkload([{ username: josefina.username, status: 'online', chatsInAttention: 1 }]);
    await active.locator('.agent-row', { hasText: 'Josefina Martínez' }).getByText('Chats en atención: 1').waitFor();
    await screenshot(a, 'desktop-picker');
  });

  it('opens the direct message from the picker; the chat opens by itself', async () => {
    await a.getByRole('button', { name: 'Mensaje directo a José Pérez' }).click();
    await a.waitForURL(/\/chats\/!/);
    await a.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    const notice = a.getByTestId('system-notice').first();
    await notice.waitFor();
    // Written for the web client: who opened it, and no command to type (the chat has a button for that).
    expect(await notice.textContent()).toContain('Ana Gómez abrió este chat');
    expect(await notice.textContent()).not.toContain('!cerrar');
  });

  it('exchanges messages: Enter sends, Shift+Enter makes a new line, typing and read markers show', async () => {
    const boxA = a.getByLabel('Mensaje', { exact: true });
    await boxA.fill('Hola José, ¿me ayudas con una venta?');
    await boxA.press('Enter');
    await a.getByTestId('message').filter({ hasText: 'Hola José, ¿me ayudas con una venta?' }).waitFor();

    // José sees the new chat in his list, with its unread count, and opens it.
    const chatLink = b.getByRole('link', { name: /Ana Gómez/ });
    await chatLink.waitFor();
    await chatLink.locator('.badge').waitFor();
    await chatLink.click();
    const received = b.getByTestId('message').filter({ hasText: 'Hola José, ¿me ayudas con una venta?' });
    await received.waitFor();
    await expect(received.locator('.sender').innerText()).resolves.toBe('Ana Gómez');
    await expect(received.locator('time').count()).resolves.toBe(1);

    // Ana's message is marked seen once José has the chat open.
    await a.getByTestId('seen-marker').waitFor();

    const boxB = b.getByLabel('Mensaje', { exact: true });
    await boxB.click();
    await boxB.pressSequentially('Claro');
    await a.getByText('José Pérez está escribiendo…').waitFor();
    await boxB.press('Shift+Enter');
    await boxB.pressSequentially('¿Qué necesitas?');
    await boxB.press('Enter');
    const reply = a.getByTestId('message').filter({ hasText: '¿Qué necesitas?' });
    await reply.waitFor();
    await expect(reply.locator('.message-text').innerText()).resolves.toBe('Claro\n¿Qué necesitas?');
    await a.getByText('José Pérez está escribiendo…').waitFor({ state: 'hidden' });
    await screenshot(a, 'desktop-chat');
  });

  it('sends a PDF and an image; refuses a file that is not allowed or too large before uploading', async () => {
    const input = a.getByTestId('file-input');
    await input.setInputFiles([
      { name: 'informe.pdf', mimeType: 'application/pdf', buffer: pdf('Informe de ventas') },
      { name: 'grafico.png', mimeType: 'image/png', buffer: png(64, 48) },
    ]);
    await input.setInputFiles({ name: 'programa.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await a.getByRole('alert').filter({ hasText: '«programa.exe» no es de un tipo permitido' }).waitFor();
    await input.setInputFiles({ name: 'enorme.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(E2E_UPLOAD_LIMIT + 1, 0x20) });
    await a.getByRole('alert').filter({ hasText: '«enorme.pdf» pesa 10 MB; el máximo es 10 MB.' }).waitFor();

    // José gets the document with its name, size and a download, and the image as a preview.
    const document = b.locator('.attachment.file').filter({ hasText: 'informe.pdf' });
    await document.waitFor();
    await expect(document.locator('.file-size').innerText()).resolves.toBe(`${pdf('Informe de ventas').length} B`);
    const image = b.getByRole('img', { name: 'Imagen: grafico.png' });
    await image.waitFor();
    await expect(image.getAttribute('src')).resolves.toMatch(/^blob:/);
    await expect(image.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).resolves.toBe(true);
    const [download] = await Promise.all([b.waitForEvent('download'), b.getByRole('button', { name: 'Descargar informe.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('informe.pdf');
    const saved = await download.path();
    expect((await readFile(saved)).equals(pdf('Informe de ventas'))).toBe(true);
    // Nothing refused was sent.
    await expect(b.locator('.attachment').count()).resolves.toBe(2);
  });

  it('sends a document dropped on the chat', async () => {
    const bytes = [...docx()];
    const dataTransfer = await a.evaluateHandle((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(
        new File([new Uint8Array(content)], 'acta.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
      );
      return transfer;
    }, bytes);
    const chat = a.locator('section.chat');
    await chat.dispatchEvent('dragover', { dataTransfer });
    await a.getByText('Suelte el archivo para enviarlo').waitFor();
    await chat.dispatchEvent('drop', { dataTransfer });
    await b.locator('.attachment.file').filter({ hasText: 'acta.docx' }).waitFor();
    await expect(a.getByText('Suelte el archivo para enviarlo').count()).resolves.toBe(0);
  });

  it('closes the chat with a typification of its catalog; errors show in the dialog', async () => {
    await a.getByRole('button', { name: 'Cerrar chat' }).click();
    const dialog = a.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio').first().waitFor();
    // The campaign's catalog (Ventas) with the global codes.
    await expect(dialog.getByRole('radio').count()).resolves.toBe(4);
    await screenshot(a, 'desktop-close-dialog');
    await dialog.getByRole('button', { name: 'Cerrar chat' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Elija una tipificación.' }).waitFor();
    await dialog.getByLabel('Buscar tipificación').fill('cotizacion');
    await expect(dialog.getByRole('radio').count()).resolves.toBe(1);
    await dialog.getByLabel('Buscar tipificación').fill('venta');
    await dialog.getByRole('radio', { name: /Venta cerrada/ }).check();
    await dialog.getByRole('button', { name: 'Cerrar chat' }).click();
    await dialog.waitFor({ state: 'detached' });
    const banner = a.getByTestId('closed-banner');
    await banner.getByText('Chat cerrado con la tipificación VENTA_CERRADA — Venta cerrada.').waitFor();
    await expect(a.getByLabel('Mensaje', { exact: true }).count()).resolves.toBe(0);
    await screenshot(a, 'desktop-closed-chat');
  });

  it('shows the chat closed, read-only, to the other agent at once', async () => {
    const banner = b.getByTestId('closed-banner');
    await banner.getByText('Chat cerrado con la tipificación VENTA_CERRADA — Venta cerrada.').waitFor();
    await banner.getByText(/Lo cerró Ana Gómez/).waitFor();
    await expect(b.getByLabel('Mensaje', { exact: true }).count()).resolves.toBe(0);
    await expect(b.getByRole('button', { name: 'Cerrar chat' }).count()).resolves.toBe(0);
    await b.getByRole('link', { name: /Ana Gómez.*Cerrado/ }).waitFor();
    await screenshot(b, 'desktop-closed-chat-other-agent');
  });

  it('keeps the session over a reload, and logs out', async () => {
    await a.reload();
    await a.getByTestId('closed-banner').waitFor();
    await a.getByRole('button', { name: 'Cerrar sesión' }).click();
    await a.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await expect(a.evaluate(() => localStorage.getItem('chattigo.session'))).resolves.toBeNull();
    await a.reload();
    await a.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  });

  it('never loaded matrix-js-sdk’s crypto (WebAssembly or its JavaScript)', () => {
    expect(fetched.some((url) => url.includes('/assets/matrix-sdk-'))).toBe(true);
    expect(fetched.filter((url) => /\.wasm|rust-crypto|crypto-wasm/.test(url))).toEqual([]);
  });
});
