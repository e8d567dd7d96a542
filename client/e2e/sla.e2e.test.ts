import type { Page } from 'playwright-core';
import type { MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginClient } from '../../appservice/test/helpers/matrix-clients.ts';
import { waitFor } from '../../appservice/test/helpers/wait.ts';
import { logIn, screenshot } from './browser.ts';
import { openChatThroughApi, PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

interface Recorded {
  title: string;
  body: string;
}

declare global {
  interface Window {
    __slaNotifications?: Recorded[];
  }
}

/**
 * Issue 16, the answer-time SLA in the browser: José asks Ana something in a chat and she does
 * not answer; the bot's reminder reaches Ana as a desktop notification and is highlighted in the
 * chat; after the escalation, the supervisor's SLA view lists the question (who asked, who must
 * answer, campaign, waiting time) and opens the chat read-only. The campaign's SLA is 3 s and the
 * test runs the appservice's scan itself when something is due.
 */
describe('the answer-time SLA: the reminder to the agent and the supervisor’s SLA view', () => {
  const tag = runTag('sla');
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const ana = { username: `agomez-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const sofia = { username: `sofia-${tag}`, displayName: 'Sofía Supervisora', campaigns: ['ventas'], role: 'supervisor' as const };
  const SLA_MS = 3000;
  const question = '¿Me confirmas el precio del plan anual?';
  const suite = e2eSuite([jose, ana, sofia]);
  let anaPage: Page;
  let sofiaPage: Page;
  let joseClient: MatrixClient;
  let roomId: string;
  let askedAt = 0;

  const scanWhenDue = async (at: number) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()) + 200));
    await suite.stack.appservice.running.app.sla.scan();
  };

  beforeAll(async () => {
    const { stack } = suite;
    await stack.appservice.running.db.query(`UPDATE campaigns SET sla_minutes = $1 WHERE id = 'ventas'`, [SLA_MS / 60_000]);
    roomId = await openChatThroughApi(stack, jose.username, ana.username);
    joseClient = await loginClient(stack.appservice.stack.homeserverUrl, jose.username, PASSWORD);

    const anaContext = await suite.newContext();
    await anaContext.grantPermissions(['notifications']);
    await anaContext.addInitScript(() => {
      const Original = window.Notification;
      window.__slaNotifications = [];
      class RecordingNotification extends Original {
        constructor(title: string, options?: NotificationOptions) {
          window.__slaNotifications?.push({ title, body: options?.body ?? '' });
          super(title, options);
        }
      }
      window.Notification = RecordingNotification;
    });
    anaPage = await anaContext.newPage();
    await anaPage.goto('/');
    await logIn(anaPage, ana.username, PASSWORD);
    await anaPage.getByRole('navigation', { name: 'Mis chats' }).getByRole('link', { name: /José Pérez/ }).waitFor();
    sofiaPage = await suite.newPage();
  });
  afterAll(() => {
    joseClient?.stopClient();
  });

  it("notifies the agent who must answer and highlights the bot's reminder in the chat", async () => {
    await joseClient.sendTextMessage(roomId, question);
    const { db } = suite.stack.appservice.running;
    await waitFor(async () => (await db.query('SELECT 1 FROM sla_questions WHERE room_id = $1', [roomId])).length === 1, 'the question recorded', 20_000);
    const [row] = await db.query<{ asked_at: Date }>('SELECT asked_at FROM sla_questions WHERE room_id = $1', [roomId]);
    askedAt = new Date(row?.asked_at ?? Date.now()).getTime();
    await scanWhenDue(askedAt + SLA_MS);
    await anaPage.waitForFunction(() => (window.__slaNotifications ?? []).some((n) => n.title === 'Pregunta sin responder'), undefined, { timeout: 20_000 });
    const shown = await anaPage.evaluate(() => window.__slaNotifications ?? []);
    expect(shown.filter((n) => n.title === 'Pregunta sin responder')).toEqual([{ title: 'Pregunta sin responder', body: 'José Pérez espera su respuesta en el chat.' }]);
    await anaPage.getByRole('navigation', { name: 'Mis chats' }).getByRole('link', { name: /José Pérez/ }).click();
    const reminder = anaPage.locator('[data-sla-reminder="true"]');
    await reminder.waitFor();
    await expect(reminder.innerText()).resolves.toMatch(/Recordatorio: una pregunta espera su respuesta/);
    await screenshot(anaPage, 'desktop-sla-reminder');
  });

  it('lists the escalated question in the supervisor’s SLA view, and opens the chat read-only', async () => {
    await scanWhenDue(askedAt + 2 * SLA_MS);
    const { db } = suite.stack.appservice.running;
    await waitFor(async () => (await db.query('SELECT 1 FROM sla_escalations WHERE room_id = $1', [roomId])).length === 1, 'the escalation', 20_000);

    await sofiaPage.goto('/');
    await logIn(sofiaPage, sofia.username, PASSWORD);
    await sofiaPage.getByRole('navigation', { name: 'Barra de herramientas' }).getByRole('button', { name: 'Supervisión' }).click();
    const section = sofiaPage.getByRole('region', { name: 'SLA de respuesta' });
    const overdue = section.getByTestId('sla-overdue').locator('li', { hasText: 'José Pérez preguntó a Ana Gómez' });
    await overdue.waitFor();
    const text = await overdue.innerText();
    expect(text).toContain('Escalada');
    expect(text).toContain('Debe responder: Ana Gómez');
    expect(text).toContain('Ventas');
    expect(text).toMatch(/esperando \d+ s|esperando \d+ min/);
    expect(text).toContain('SLA 3 s');
    await section.getByTestId('sla-escalations').locator('li', { hasText: 'José Pérez preguntó a Ana Gómez' }).waitFor();
    await screenshot(sofiaPage, 'desktop-supervision-sla');

    await overdue.getByRole('link', { name: 'Revisar' }).click();
    await sofiaPage.getByText('Solo lectura. Esta revisión quedó registrada.').waitFor();
    await sofiaPage.getByText(question).first().waitFor();
    await expect(sofiaPage.getByRole('textbox').count()).resolves.toBe(0);
  });
});
