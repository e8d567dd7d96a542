import type { BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets } from '../../appservice/src/config/secrets.ts';
import { demoContext } from '../../appservice/src/features/context/provider.ts';
import { freePort } from '../../appservice/test/helpers/ports.ts';
import { startDemoHost, demoHostOrigin, type DemoHost } from '../../scripts/demo-host.ts';
import { DESKTOP, logIn, newContext, screenshot } from './browser.ts';
import { PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

/**
 * Issue 17: the chat inside the agent desktop. The demo host page (config/demo/host.html) is served
 * on another site (`localhost`, the chat is on `127.0.0.1`), embeds the chat in an iframe and signs
 * the agent in with a login code; the host opens the picker, shows the unread count, and asks about
 * a customer chat, whose card both agents see.
 */
describe('the chat embedded in the agent desktop', () => {
  const tag = runTag('e');
  const ana = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  // The demo host's site, on a port of its own: the chat must allow it as an embedder.
  let port = 0;
  const suite = e2eSuite([ana, jose], async () => {
    port = await freePort();
    const origin = demoHostOrigin('localhost', port);
    return { embed: { allowedOrigins: [origin] }, platform: { contextUrl: `${origin}/demo/context/{conversationId}` } };
  });
  let host: DemoHost;
  let deskContext: BrowserContext;
  let joseContext: BrowserContext;
  let desk: Page;
  let b: Page;
  let chat: FrameLocator;
  const chatFrame = (): Frame => {
    const frame = desk.frames().find((f) => f.url().startsWith(suite.stack.url));
    if (!frame) throw new Error('no chat frame');
    return frame;
  };

  beforeAll(async () => {
    const { stack } = suite;
    const secrets = await loadSecrets(stack.appservice.stack.secretsDir, { generate: false });
    host = await startDemoHost({
      host: 'localhost',
      port,
      appserviceUrl: stack.url,
      chatUrl: stack.url,
      provisioningToken: secrets.provisioning_token,
      agents: [ana, jose],
    });
    deskContext = await newContext(suite.browser, host.origin, DESKTOP);
    joseContext = await suite.newContext();
    desk = await deskContext.newPage();
    b = await joseContext.newPage();
    chat = desk.frameLocator('#chat');
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('signs the agent in with a login code, without a login form, in a third-party iframe', async () => {
    const requested: string[] = [];
    desk.on('request', (request) => requested.push(request.url()));
    await desk.goto(`/?agent=${ana.username}`);
    await chat.locator('.app.embedded').waitFor();
    await expect(chat.getByLabel('Contraseña', { exact: true }).count()).resolves.toBe(0);
    // No toolbar of its own.
    await expect(chat.getByRole('navigation', { name: 'Barra de herramientas' }).count()).resolves.toBe(0);
    // Storage in a third-party iframe: this Chromium refuses it outright (not merely partitioned), so
    // the login lives in the page's memory; the desktop signs in again with a new code when it reloads.
    const storage = await chatFrame().evaluate(() => {
      try {
        return localStorage.getItem('chattigo.session') !== null ? 'kept' : 'missing';
      } catch {
        return 'refused';
      }
    });
    expect(['kept', 'refused']).toContain(storage);
    await desk.locator('#log').getByText('"chattigo:ready"').waitFor();
    // The provisioning token never reaches the browser.
    expect(requested.join('\n')).not.toContain('provisioning');
    await screenshot(desk, 'embed-signed-in');
  });

  it('ignores a message from an origin that is not allowed', async () => {
    // A frame of another origin inside the host page posts to the chat.
    await desk.evaluate((src) => {
      const evil = document.createElement('iframe');
      evil.name = 'evil';
      evil.src = src;
      document.body.append(evil);
    }, `${suite.stack.url.replace('127.0.0.1', 'localhost')}/api/v1/client-config`);
    const evil = await (async () => {
      for (let i = 0; i < 50; i++) {
        const found = desk.frames().find((f) => f.name() === 'evil' && f.url().includes('client-config'));
        if (found) return found;
        await desk.waitForTimeout(100);
      }
      throw new Error('no evil frame');
    })();
    await evil.evaluate(() => window.parent.frames[0]?.postMessage({ type: 'chattigo:open-picker' }, '*'));
    await desk.waitForTimeout(1000);
    await expect(chat.getByRole('heading', { name: 'Agentes', exact: true }).count()).resolves.toBe(0);
    await desk.evaluate(() => document.querySelector('iframe[name="evil"]')?.remove());
  });

  it('opens the picker when the host asks', async () => {
    await desk.locator('#open-picker').click();
    await chat.getByRole('heading', { name: 'Agentes', exact: true }).waitFor();
  });

  it('shows the unread count in the host’s badge after a colleague writes', async () => {
    await b.goto('/');
    await logIn(b, jose.username, PASSWORD);
    await b.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().click();
    await b.getByRole('button', { name: 'Mensaje directo a Ana Gómez' }).click();
    await b.waitForURL(/\/chats\/!/);
    const box = b.getByLabel('Mensaje', { exact: true });
    await box.fill('Hola Ana, ¿tienes un minuto?');
    await box.press('Enter');
    await desk.locator('#unread[data-count="1"]').waitFor();
    await screenshot(desk, 'embed-unread');
  });

  it('opens a chat about a customer chat from the host; both agents see its card', async () => {
    const expected = demoContext('conv-77');
    await desk.locator('#peer').fill(jose.username);
    await desk.locator('#conversation').fill('conv-77');
    await desk.locator('#ask').click();
    await chat.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    const card = chat.getByRole('complementary', { name: 'Chat de cliente' });
    await card.getByText(expected.customerName).waitFor();
    await expect(card.getByRole('link', { name: 'Ver el chat de cliente' }).getAttribute('href')).resolves.toBe(expected.link);
    await b.getByRole('complementary', { name: 'Chat de cliente' }).getByText(expected.customerName).waitFor();
    await desk.locator('#log').getByText('"chattigo:chat-opened"').waitFor();
    // Reading the chat clears the badge.
    await desk.locator('#unread[data-count="0"]').waitFor();
    await screenshot(desk, 'embed-context-card');
  });

  it('refuses a replayed code with a page in the client’s language', async () => {
    const issued = await desk.evaluate(async (username) => {
      const response = await fetch('/demo/login-code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) });
      return ((await response.json()) as { url: string }).url;
    }, jose.username);
    const first = await joseContext.newPage();
    await first.goto(issued);
    await first.waitForURL(/\/chats/);
    const fresh = await suite.newContext();
    const again = await fresh.newPage();
    await again.goto(issued);
    await again.getByText('El enlace de ingreso ya se usó. Vuelva a abrir el chat desde Chattigo.').waitFor();
    await again.getByRole('link', { name: 'Ingresar con usuario y contraseña' }).waitFor();
    await fresh.close();
  });
});
