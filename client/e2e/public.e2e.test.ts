import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../appservice/test/helpers/smtp.ts';
import { waitFor } from '../../appservice/test/helpers/wait.ts';
import { logIn, screenshot } from './browser.ts';
import { PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

describe('before login: wrong password, English, "¿Olvidó su contraseña?" and a keyboard-only journey', () => {
  const tag = runTag('k');
  const rosa = { username: `rlopez-${tag}`, displayName: 'Rosa López', campaigns: ['ventas'], email: `rosa-${tag}@chattigo.test` };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const newPassword = 'una clave nueva';
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const suite = e2eSuite([rosa, jose], async () => {
    smtp = await startSmtpServer();
    return { mail: { smtp: { host: '127.0.0.1', port: smtp.port } } };
  });
  let page: Page;

  beforeAll(async () => {
    page = await suite.newPage();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it('says so in place when the password is wrong, in the chosen language', async () => {
    await page.goto('/');
    await page.getByLabel('Usuario', { exact: true }).fill(rosa.username);
    await page.getByLabel('Contraseña', { exact: true }).fill('no es esta');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Usuario o contraseña incorrectos.' }).waitFor();
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await page.getByLabel('Password', { exact: true }).fill('still wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
  });

  it('mails a link from "¿Olvidó su contraseña?" whose page sets a new password, ending the other sessions', async () => {
    // Rosa is also signed in elsewhere, with her old password.
    const elsewhere = await suite.newPage();
    await elsewhere.goto('/');
    await logIn(elsewhere, rosa.username, PASSWORD);

    await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
    await page.getByRole('heading', { name: 'Recuperar contraseña' }).waitFor();
    await page.getByLabel('Usuario o correo').fill(rosa.username);
    await page.getByRole('button', { name: 'Enviar enlace' }).click();
    await page.getByRole('status').filter({ hasText: 'Si la cuenta existe y tiene un correo registrado' }).waitFor();
    await screenshot(page, 'desktop-forgot-password');
    await waitFor(() => smtp.mails.length === 1, 'the reset mail');
    const link = /https?:\/\/\S+\/restablecer-contrasena\?token=[\w-]+/.exec(smtp.mails[0]?.text ?? '')?.[0];
    expect(link, 'a reset link in the mail').toBeTruthy();
    await page.goto(new URL(link ?? '').pathname + new URL(link ?? '').search);
    await page.getByRole('heading', { name: 'Elegir una contraseña nueva' }).waitFor();
    await page.getByLabel('Contraseña nueva').fill('corta');
    await page.getByLabel('Repita la contraseña').fill('corta');
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('alert').filter({ hasText: 'La contraseña debe tener al menos 8 caracteres.' }).waitFor();
    await page.getByLabel('Contraseña nueva').fill(newPassword);
    await page.getByLabel('Repita la contraseña').fill(`${newPassword}!`);
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('alert').filter({ hasText: 'Las contraseñas no coinciden.' }).waitFor();
    await page.getByLabel('Repita la contraseña').fill(newPassword);
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByText(`Contraseña actualizada, ${rosa.username}. Ya puede iniciar sesión.`).waitFor();
    await screenshot(page, 'desktop-reset-password');
    // The other session ends: its next sync is refused, and it says so.
    await elsewhere.getByText('Su sesión terminó. Inicie sesión de nuevo.').waitFor({ timeout: 60_000 });
    await expect(elsewhere.evaluate(() => localStorage.getItem('chattigo.session'))).resolves.toBeNull();
    await elsewhere.context().close();

    // The link works once.
    await page.goto(new URL(link ?? '').pathname + new URL(link ?? '').search);
    await page.getByLabel('Contraseña nueva').fill(newPassword);
    await page.getByLabel('Repita la contraseña').fill(newPassword);
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('alert').filter({ hasText: 'El enlace no es válido o ya venció. Pida uno nuevo.' }).waitFor();
  });

  it('goes from login to a sent message and back out of the close dialog with the keyboard alone', async () => {
    await page.goto('/agentes');
    // Signed out: the login comes first and leads back to the picker.
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ingresar');
    await page.keyboard.press('Tab'); // language
    await page.keyboard.press('Tab');
    await page.keyboard.type(rosa.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(newPassword);
    await page.keyboard.press('Enter');
    // The search box has the focus when the picker opens.
    await page.getByRole('heading', { name: 'Agentes', exact: true }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('picker-search-input');
    await page.keyboard.type('jose');
    await page.waitForFunction(() => document.querySelectorAll('.agent-row').length === 1);
    // Past the campaign filter and the customer-chat field, the row's button.
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? '');
    for (let i = 0; i < 4 && (await focusedLabel()) !== 'Mensaje directo a José Pérez'; i++) await page.keyboard.press('Tab');
    await expect(focusedLabel()).resolves.toBe('Mensaje directo a José Pérez');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    // The composer has the focus: write and send.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('composer-text');
    await page.keyboard.type('Hola, solo con el teclado');
    await page.keyboard.press('Enter');
    await page.getByTestId('message').filter({ hasText: 'Hola, solo con el teclado' }).waitFor();

    // Reach "Cerrar chat" backwards, open the dialog, Escape closes it and gives the focus back.
    const focusedName = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    for (let i = 0; i < 20 && (await focusedName()) !== 'Cerrar chat'; i++) await page.keyboard.press('Shift+Tab');
    expect(await focusedName()).toBe('Cerrar chat');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio').first().waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('type'))).resolves.toBe('search');
    // Focus stays inside the dialog.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.closest('dialog') !== null)).resolves.toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedName()).toBe('Cerrar chat');
  });
});
