import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (package `chromium`), or CHATTIGO_CHROMIUM. */
export function chromiumPath(): string {
  return process.env['CHATTIGO_CHROMIUM'] ?? '/usr/bin/chromium';
}

export const screenshotDir = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;
/** A small phone: 360 px wide. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

export type Device = typeof DESKTOP | typeof PHONE;

export async function newContext(browser: Browser, baseURL: string, device: Device): Promise<BrowserContext> {
  const context = await browser.newContext({ ...device, baseURL, locale: 'es-CL', acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Logs in through the login form and waits for the signed-in toolbar. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Usuario', { exact: true }).fill(username);
  await page.getByLabel('Contraseña', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('navigation', { name: 'Barra de herramientas' }).waitFor();
}

/** Opens a direct message from the agent picker (the toolbar's last button): searches `search`, picks `name`, waits for the chat. */
export async function openDirectChat(page: Page, search: string, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().click();
  await page.getByLabel('Buscar agente por nombre').fill(search);
  await page.getByRole('button', { name: `Mensaje directo a ${name}` }).click();
  await page.waitForURL(/\/chats\/!/);
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Fails when the page is wider than its viewport (something overflows sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
