import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginClient } from '../../appservice/test/helpers/matrix-clients.ts';
import { logIn, screenshot } from './browser.ts';
import { openChatThroughApi, PASSWORD, runTag } from './stack.ts';
import { e2eSuite } from './suite.ts';

/**
 * A supervisor in the browser: the report of their campaign with its charts, the CSV export (a
 * real download) and an agents' chat opened read-only, which is recorded as a review.
 */
describe('a supervisor: report, charts, CSV and an audited review', () => {
  const tag = runTag('s');
  const jose = { username: `jperez-${tag}`, displayName: 'José Pérez', campaigns: ['ventas'] };
  const ana = { username: `agomez-${tag}`, displayName: 'Ana Gómez', campaigns: ['ventas'] };
  const sofia = { username: `sofia-${tag}`, displayName: 'Sofía Supervisora', campaigns: ['ventas'], role: 'supervisor' as const };
  const suite = e2eSuite([jose, ana, sofia]);
  let page: Page;
  let roomId: string;

  beforeAll(async () => {
    const { stack } = suite;
    const { db } = stack.appservice.running;
    // Closed chats of the last days (rows only), and one real chat with messages to review.
    const day = 86_400_000;
    for (let i = 0; i < 12; i++) {
      const opened = new Date(Date.now() - (1 + (i % 5)) * day);
      await db.query(
        `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at, typification_code, typification_label, first_answer_at)
         VALUES ($1, $2, $3, $4, 'ventas', 'closed', $5, $2, $6, $7, $8, $9)`,
        [
          `!e2e${i}-${tag}:example`,
          i % 2 ? jose.username : ana.username,
          i % 2 ? ana.username : jose.username,
          `e2e-${i}-${tag}`,
          opened,
          new Date(opened.getTime() + (60 + i * 30) * 1000),
          i < 8 ? 'VENTA_CERRADA' : 'CONSULTA_RESUELTA',
          i < 8 ? 'Venta cerrada' : 'Consulta resuelta',
          new Date(opened.getTime() + 15_000),
        ],
      );
    }
    roomId = await openChatThroughApi(stack, jose.username, ana.username);
    const client = await loginClient(stack.appservice.stack.homeserverUrl, jose.username, PASSWORD);
    await client.sendTextMessage(roomId, 'Ana, el cliente pide la cotización de nuevo.');
    page = await suite.newPage();
  });

  it('logs in and opens the supervision section from the toolbar', async () => {
    await page.goto('/');
    await logIn(page, sofia.username, PASSWORD);
    const toolbar = page.getByRole('navigation', { name: 'Barra de herramientas' });
    await toolbar.getByRole('button', { name: 'Supervisión' }).click();
    await page.getByRole('heading', { name: 'Supervisión', level: 1 }).waitFor();
    // The agent picker's button is still the last one.
    await expect(toolbar.getByRole('button').last().getAttribute('aria-label')).resolves.toBe('Chat interno: elegir un agente para conversar');
  });

  it('shows the report of their campaign with its charts', async () => {
    await page.getByText(/^12 chats cerrados · duración mediana/).waitFor();
    const table = page.getByRole('table', { name: 'Chats cerrados por tipificación' });
    await expect(table.getByRole('row', { name: /VENTA_CERRADA — Venta cerrada/ }).getByRole('cell').first().innerText()).resolves.toBe('8');
    await expect(table.getByRole('row', { name: /CONSULTA_RESUELTA/ }).getByRole('cell').first().innerText()).resolves.toBe('4');
    await page.getByRole('img', { name: 'Chats cerrados por tipificación' }).waitFor();
    await page.getByRole('img', { name: 'Chats cerrados por día' }).waitFor();
    await screenshot(page, 'desktop-supervision-report');
  });

  it('exports the same table as a CSV download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^chattigo-reporte-typification-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = await download.path();
    const csv = await readFile(saved, 'utf8');
    expect(csv.startsWith('\uFEFFTipificación;Código;Chats cerrados')).toBe(true);
    expect(csv).toContain('Venta cerrada;VENTA_CERRADA;8;8;');
    expect(csv).toContain('\r\nTotal;;12;12;');
  });

  it("opens an agents' chat read-only, and the review is recorded", async () => {
    const row = page.locator('.review-chat', { hasText: 'José Pérez y Ana Gómez' }).filter({ hasText: 'Abierto' });
    await row.getByRole('link', { name: 'Revisar' }).click();
    await page.getByText('Solo lectura. Esta revisión quedó registrada.').waitFor();
    await page.getByText('Ana, el cliente pide la cotización de nuevo.').waitFor();
    // Nothing to write with: no composer on this page.
    await expect(page.getByRole('textbox').count()).resolves.toBe(0);
    await screenshot(page, 'desktop-supervision-review');
    const rows = await suite.stack.appservice.running.db.query<{ reviewer: string }>('SELECT reviewer FROM chat_reviews WHERE room_id = $1', [roomId]);
    expect(rows.map((r) => r.reviewer)).toEqual([sofia.username]);
  });
});
