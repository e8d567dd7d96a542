import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot } from './browser.ts';
import { PASSWORD, runTag, type E2eAgent } from './stack.ts';
import { e2eSuite } from './suite.ts';

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

declare global {
  interface Window {
    __notifications?: Recorded[];
    __notificationObjects?: Notification[];
  }
}

/**
 * Issue 15, the agent's experience: desktop notifications and the unread count in the tab while
 * the page is hidden, the notification preferences, the web app manifest, and the picker's
 * density (a dozen rows and more on 1280×800), campaign filter, open-chat mark and role badges.
 */
describe('notifications, the tab’s unread count, the manifest and a dense picker', () => {
  const tag = runTag('n');
  const ana: E2eAgent = { username: `ana-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const jose: E2eAgent = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const names = [
    'Camila Soto', 'Diego Muñoz', 'Valentina Rojas', 'Matías Díaz', 'Fernanda Silva', 'Benjamín Torres', 'Catalina Flores',
    'Joaquín Reyes', 'Antonia Castro', 'Tomás Herrera', 'Isidora Vargas', 'Vicente Morales', 'Martina Pinto', 'Lucas Araya',
  ];
  const others: E2eAgent[] = names.map((displayName, i) => ({
    username: `${displayName.split(' ')[0]?.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}${i}-${tag}`,
    displayName,
    campaigns: i % 3 === 0 ? ['soporte'] : i % 3 === 1 ? ['ventas'] : ['ventas', 'soporte'],
    role: i === 0 ? 'supervisor' : i === 1 ? 'admin' : 'agent',
  }));
  const suite = e2eSuite([ana, jose, ...others]);
  let contextA: BrowserContext;
  let a: Page;
  let b: Page;

  const notifications = (page: Page) => page.evaluate(() => window.__notifications ?? []);
  const setHidden = (page: Page, hidden: boolean) =>
    page.evaluate((hide) => {
      if (hide) {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      } else {
        Reflect.deleteProperty(document, 'visibilityState');
        Reflect.deleteProperty(document, 'hidden');
      }
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  const send = async (page: Page, text: string) => {
    const box = page.getByLabel('Mensaje', { exact: true });
    await box.fill(text);
    await box.press('Enter');
    await page.getByTestId('message').filter({ hasText: text }).getByText('Enviando…').waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    contextA = await suite.newContext();
    await contextA.grantPermissions(['notifications']);
    // Records every notification the page makes (and keeps it, to click it).
    await contextA.addInitScript(() => {
      const Original = window.Notification;
      window.__notifications = [];
      window.__notificationObjects = [];
      class RecordingNotification extends Original {
        constructor(title: string, options?: NotificationOptions) {
          window.__notifications?.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
          super(title, options);
          window.__notificationObjects?.push(this);
        }
      }
      window.Notification = RecordingNotification;
    });
    a = await contextA.newPage();
    b = await suite.signedInPage(jose.username);
    await a.goto('/');
    await logIn(a, ana.username, PASSWORD);
  });

  it('serves the manifest and its icons with their content types, linked from the page', async () => {
    const manifest = await fetch(`${suite.stack.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const body = (await manifest.json()) as { display: string; icons: { src: string; purpose: string }[] };
    expect(body.display).toBe('standalone');
    expect(body.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of body.icons) {
      const answer = await fetch(`${suite.stack.url}${icon.src}`);
      expect(answer.status, icon.src).toBe(200);
      expect(answer.headers.get('content-type'), icon.src).toMatch(/^image\/(png|svg\+xml)/);
    }
    await expect(a.locator('link[rel="manifest"]').getAttribute('href')).resolves.toBe('/manifest.webmanifest');
    await expect(a.locator('link[rel="apple-touch-icon"]').count()).resolves.toBe(1);
  });

  it('shows a dozen agents and more on 1280×800, with role badges, and filters by campaign', async () => {
    await a.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().click();
    await a.waitForFunction(() => document.querySelectorAll('.agent-row').length >= 15);
    const visibleRows = await a.locator('.agent-row').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
    expect(visibleRows).toBeGreaterThanOrEqual(12);
    await expect(a.locator('.agent-row', { hasText: 'Camila Soto' }).locator('.role-badge').innerText()).resolves.toMatch(/supervisor/i);
    await expect(a.locator('.agent-row', { hasText: 'Diego Muñoz' }).locator('.role-badge').innerText()).resolves.toMatch(/admin/i);
    await screenshot(a, 'notify-picker-dense');

    // The server filters (every page, not only the loaded one): the list changes once it answers.
    await a.getByLabel('Campaña', { exact: true }).selectOption({ label: 'Soporte técnico' });
    const expected = others.filter((o) => o.campaigns.includes('soporte')).length;
    await a.waitForFunction((n) => document.querySelectorAll('.agent-row').length === n, expected);
    const campaigns = await a.locator('.agent-row .campaigns').allInnerTexts();
    expect(campaigns.length).toBe(expected);
    for (const text of campaigns) expect(text).toContain('Soporte técnico');
    await screenshot(a, 'notify-picker-filtered');
    await a.getByLabel('Campaña', { exact: true }).selectOption({ label: 'Todas las campañas' });
    await a.waitForFunction(() => document.querySelectorAll('.agent-row').length >= 15);
  });

  it('marks an agent with whom a chat is already open', async () => {
    await a.getByLabel('Buscar agente por nombre').fill('jose');
    await a.getByRole('button', { name: 'Mensaje directo a José Pérez' }).click();
    await a.waitForURL(/\/chats\/!/);
    await a.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    await a.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().click();
    await a.getByLabel('Buscar agente por nombre').fill('jose');
    await a.locator('.agent-row', { hasText: 'José Pérez' }).getByText('Chat abierto').waitFor();
    await screenshot(a, 'notify-picker-open-mark');
  });

  it('notifies a message from the other agent while the page is hidden, counts it in the title and opens the chat on click', async () => {
    await a.getByRole('navigation', { name: 'Mis chats' }).getByRole('link', { name: /José Pérez/ }).click();
    await a.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    const roomPath = new URL(a.url()).pathname;
    await b.locator(`a[href="${roomPath}"]`).click();
    await b.getByRole('heading', { name: 'Ana Gómez', level: 2 }).waitFor();
    await expect(a.title()).resolves.toBe('Chattigo · Chat entre agentes');

    // Seen on screen: no notification.
    await send(b, 'Primer mensaje, a la vista');
    await a.getByTestId('message').filter({ hasText: 'Primer mensaje, a la vista' }).waitFor();
    await a.waitForTimeout(500);
    expect(await notifications(a)).toEqual([]);

    await setHidden(a, true);
    const text = 'Hola Ana, ¿me ayudas con la cotización del cliente de Rancagua que llamó esta mañana por el plan empresa?';
    await send(b, text);
    await a.waitForFunction(() => (window.__notifications ?? []).length > 0);
    const [first] = await notifications(a);
    expect(first?.title).toBe('José Pérez');
    expect(first?.body.startsWith('Hola Ana, ¿me ayudas')).toBe(true);
    expect(first?.body.length).toBeLessThanOrEqual(101);
    await a.waitForFunction(() => document.title === '(1) Chattigo · Chat entre agentes');
    await expect(a.locator('link[rel="icon"]').getAttribute('href')).resolves.toMatch(/^data:image\/svg\+xml,.*%3E1%3C%2Ftext%3E/);

    // What the tab and the notification show, drawn on the page for the screenshot.
    await a.evaluate((list) => {
      const note = document.createElement('pre');
      note.id = 'e2e-state';
      note.style.cssText = 'position:fixed;bottom:1rem;right:1rem;z-index:99;background:#222;color:#fff;padding:0.75rem;font-size:13px;max-width:40rem;white-space:pre-wrap';
      note.textContent = `document.title: ${document.title}\nnotifications: ${JSON.stringify(list, null, 1)}`;
      document.body.append(note);
    }, await notifications(a));
    await screenshot(a, 'notify-hidden-title-and-notification');
    await a.evaluate(() => document.getElementById('e2e-state')?.remove());

    // Back on the list, a click on the notification opens the chat; visible again, the count goes.
    await a.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button', { name: /Mis chats/ }).click();
    await a.waitForURL(/\/chats$/);
    await setHidden(a, false);
    await a.evaluate(() => window.__notificationObjects?.at(-1)?.onclick?.(new Event('click')));
    await a.waitForURL((url) => url.pathname === roomPath);
    await a.waitForFunction(() => document.title === 'Chattigo · Chat entre agentes');
  });

  it('sends nothing once the agent turns desktop notifications off, and sends again when on', async () => {
    await a.getByRole('button', { name: 'Preferencias de avisos' }).click();
    const desktop = a.getByRole('checkbox', { name: 'Avisos de escritorio' });
    await expect(desktop.isChecked()).resolves.toBe(true);
    await desktop.uncheck();
    await a.getByRole('checkbox', { name: 'Sonido' }).uncheck();
    await screenshot(a, 'notify-preferences-menu');
    await a.keyboard.press('Escape');
    const before = (await notifications(a)).length;

    await setHidden(a, true);
    await send(b, 'Con los avisos apagados');
    await a.getByTestId('message').filter({ hasText: 'Con los avisos apagados' }).waitFor();
    await a.waitForTimeout(1000);
    expect((await notifications(a)).length).toBe(before);

    // The preference lives in the account data: it is still off after a reload.
    await a.reload();
    await a.getByRole('navigation', { name: 'Barra de herramientas' }).waitFor();
    await a.getByRole('button', { name: 'Preferencias de avisos' }).click();
    // Off as soon as the first sync brings the account data.
    await a.waitForFunction(() => document.querySelector<HTMLInputElement>('.menu-panel input[type="checkbox"]')?.checked === false);
    await a.getByRole('checkbox', { name: 'Avisos de escritorio' }).check();
    await a.keyboard.press('Escape');
    await setHidden(a, true);
    await send(b, 'Con los avisos encendidos otra vez');
    await a.waitForFunction(() => (window.__notifications ?? []).some((n) => n.body.includes('encendidos otra vez')));
  });

  it('notifies through its service worker where the page may not make a notification (Android Chrome)', async () => {
    const phone = await suite.newContext();
    await phone.grantPermissions(['notifications']);
    // As Android Chrome: permission granted, but `new Notification()` throws.
    await phone.addInitScript(() => {
      const Original = window.Notification;
      const PageRefused = function () {
        throw new TypeError("Failed to construct 'Notification': Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.");
      };
      Object.defineProperty(PageRefused, 'permission', { get: () => Original.permission });
      Object.defineProperty(PageRefused, 'requestPermission', { value: () => Original.requestPermission() });
      window.Notification = PageRefused as unknown as typeof Notification;
    });
    const p = await phone.newPage();
    await p.goto('/');
    await logIn(p, ana.username, PASSWORD);
    // Synced: what arrives from now on is live (what the first sync brings is not notified).
    await p.getByRole('navigation', { name: 'Mis chats' }).getByRole('link', { name: /José Pérez/ }).waitFor();
    const workerState = () => p.evaluate(async () => (await navigator.serviceWorker.getRegistration('/sw.js'))?.active?.state ?? null);
    await expect.poll(workerState, { timeout: 15_000 }).toBe('activated');
    const worker = await fetch(`${suite.stack.url}/sw.js`);
    expect(worker.headers.get('content-type')).toMatch(/javascript/);

    await setHidden(p, true);
    await send(b, 'Aviso para el teléfono');
    const shown = () =>
      p.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/sw.js');
        const list = (await registration?.getNotifications()) ?? [];
        return list.map((n) => ({ title: n.title, body: n.body, data: n.data as unknown }));
      });
    await expect
      .poll(shown, { timeout: 15_000 })
      .toContainEqual({ title: 'José Pérez', body: 'Aviso para el teléfono', data: { chatPath: expect.stringMatching(/^\/chats\/!/) } });
    await phone.close();
  });
});

