import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, logIn, newContext, screenshot } from './browser.ts';
import { PASSWORD, runTag, startE2eStack, type E2eStack } from './stack.ts';

describe('two agents on computers: picker, direct message, files, closing', () => {
  const tag = runTag('d');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const others = [
    { username: `jmartinez-${tag}`, displayName: 'Josefina Martínez', campaigns: ['ventas', 'soporte'] },
    { username: `mjgonzalez-${tag}`, displayName: 'María José González', campaigns: ['soporte'] },
    { username: `lrojas-${tag}`, displayName: 'Luis Rojas', campaigns: ['soporte'] },
  ];
  let stack: E2eStack;
  let browser: Browser;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    stack = await startE2eStack([ana, jose, ...others]);
    browser = await launchChromium();
    contextA = await newContext(browser, stack.url, DESKTOP);
    contextB = await newContext(browser, stack.url, DESKTOP);
    a = await contextA.newPage();
    b = await contextB.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
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
    await a.getByRole('heading', { name: 'Agentes' }).waitFor();
    await a.getByLabel('Buscar agente por nombre').fill('jose');
    await a.getByRole('button', { name: 'Mensaje directo a María José González' }).waitFor();
    const names = await a.locator('.agent-name').allInnerTexts();
    expect(names.map((n) => n.split('\n')[0]?.replace(/ \(.*\)$/, '').trim()).sort()).toEqual(
      ['José Pérez', 'Josefina Martínez', 'María José González'].sort(),
    );
    await screenshot(a, 'desktop-picker');
  });

  it('opens the direct message from the picker; the chat opens by itself', async () => {
    await a.getByRole('button', { name: 'Mensaje directo a José Pérez' }).click();
    await a.waitForURL(/\/chats\/!/);
    await a.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    await a.getByTestId('system-notice').first().waitFor();
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
});
