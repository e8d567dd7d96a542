import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, logIn, PHONE, screenshot } from './browser.ts';
import { PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

describe('an agent on a 360 px phone', () => {
  const tag = runTag('p');
  const pedro = { username: `psoto-${tag}`, displayName: 'Pedro Soto', campaigns: ['ventas', 'soporte'] };
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const carla = { username: `cdiaz-${tag}`, displayName: 'Carla Díaz', campaigns: ['ventas', 'soporte'] };
  const suite = e2eSuite([pedro, jose, carla]);
  let phone: Page;
  let desk: Page;

  const fits = async (name: string) => {
    expect(await horizontalOverflow(phone), `${name} is wider than the phone`).toBeLessThanOrEqual(0);
    await screenshot(phone, `phone-${name}`);
  };

  beforeAll(async () => {
    phone = await suite.newPage(PHONE);
    desk = await suite.newPage();
  });

  it('logs in on the phone and shows the chat list alone', async () => {
    await desk.goto('/');
    await logIn(desk, jose.username, PASSWORD);
    await phone.goto('/');
    await phone.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await fits('login');
    await logIn(phone, pedro.username, PASSWORD);
    await phone.getByRole('heading', { name: 'Mis chats' }).waitFor();
    await expect(phone.locator('main#main').isVisible()).resolves.toBe(false);
    await fits('chats');
  });

  it('opens the picker from the last toolbar button and a direct message from it', async () => {
    await phone.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().tap();
    await phone.getByLabel('Buscar agente por nombre').fill('jose');
    await phone.waitForFunction(() => document.querySelectorAll('.agent-row').length === 1);
    await fits('picker');
    await phone.getByRole('button', { name: 'Mensaje directo a José Pérez' }).tap();
    await phone.getByRole('heading', { name: 'José Pérez', level: 2 }).waitFor();
    // One column: the chat list is hidden while the chat is shown.
    await expect(phone.getByRole('heading', { name: 'Mis chats' }).isVisible()).resolves.toBe(false);
    const box = phone.getByLabel('Mensaje', { exact: true });
    await box.fill('Hola José, te escribo desde el teléfono');
    await phone.getByRole('button', { name: 'Enviar' }).tap();
    await desk.getByRole('link', { name: /Pedro Soto/ }).click();
    await desk.getByTestId('message').getByText('Hola José, te escribo desde el teléfono').waitFor();
    await desk.getByLabel('Mensaje', { exact: true }).fill('Recibido, Pedro');
    await desk.getByLabel('Mensaje', { exact: true }).press('Enter');
    // The chat list's row previews the same text: look in the messages.
    await phone.getByTestId('message').getByText('Recibido, Pedro').waitFor();
    await fits('chat');
  });

  it('asks which campaign when the two agents share several, and goes back to the list', async () => {
    await phone.getByRole('link', { name: 'Volver' }).tap();
    await phone.getByRole('link', { name: /José Pérez/ }).waitFor();
    await phone.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button').last().tap();
    await phone.getByLabel('Buscar agente por nombre').fill('carla diaz');
    await phone.getByRole('button', { name: 'Mensaje directo a Carla Díaz' }).tap();
    const choice = phone.getByRole('dialog', { name: 'Elija la campaña del chat' });
    await choice.getByRole('radio', { name: 'Soporte técnico' }).check();
    await fits('campaign-choice');
    await choice.getByRole('button', { name: 'Abrir chat' }).tap();
    await phone.getByRole('heading', { name: 'Carla Díaz', level: 2 }).waitFor();
    await phone.getByText('Campaña: Soporte técnico').waitFor();
  });

  it('closes the chat from the phone with its campaign’s catalog', async () => {
    await phone.getByRole('button', { name: 'Cerrar chat' }).tap();
    const dialog = phone.getByRole('dialog', { name: 'Cerrar el chat' });
    await dialog.getByRole('radio', { name: /Falla resuelta/ }).waitFor();
    // Soporte's code and the global ones; not Ventas' codes.
    await expect(dialog.getByRole('radio', { name: /Venta cerrada/ }).count()).resolves.toBe(0);
    await fits('close-dialog');
    await dialog.getByRole('radio', { name: /Falla resuelta/ }).check();
    await dialog.getByRole('button', { name: 'Cerrar chat' }).tap();
    await dialog.waitFor({ state: 'detached' });
    await phone.getByTestId('closed-banner').getByText('Chat cerrado con la tipificación FALLA_RESUELTA — Falla resuelta.').waitFor();
    await fits('closed-chat');
    await phone.getByRole('link', { name: 'Volver' }).tap();
    // Open chats first.
    const chats = await phone.locator('.chat-link .chat-link-name').allInnerTexts();
    expect(chats).toEqual(['José Pérez', 'Carla Díaz']);
  });
});
