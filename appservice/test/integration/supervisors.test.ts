import { Preset, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@chattigo/contracts/reports';
import { seconds, spread } from '../../src/features/reports/math.ts';
import { ReportService } from '../../src/features/reports/service.ts';
import { ReviewService } from '../../src/features/review/service.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { importAgents, loginAgent, openChat, runNames } from '../helpers/agents.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { sessionToken } from '../helpers/directory.ts';
import { botNotices, botReply } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Issue 16 on a real Synapse and PostgreSQL: reports over a seeded set of closed chats (figures
 * checked one by one), first answers recorded from a real chat, campaigns kept apart, and every
 * review of a chat's history recorded and announced once.
 */
describe('supervisors: reports and audited review', () => {
  let as: TestAppservice;
  const { t, u } = runNames();
  const ventas = `ventas-${t}`;
  const soporte = `soporte-${t}`;
  let jose: MatrixClient;
  let maria: MatrixClient;
  let roomId: string;

  const token = (name: string, role: 'agent' | 'supervisor' | 'admin') => sessionToken(as.running.app, u(name), role);
  const get = (name: string, role: 'agent' | 'supervisor' | 'admin', url: string) =>
    as.running.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token(name, role)}` } });
  const report = async (name: string, role: 'supervisor' | 'admin', query: string): Promise<Report> => {
    const response = await get(name, role, `/api/v1/reports?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  // Closed chats with known times. Ventas is in Santiago (UTC−3 in March), Soporte in UTC.
  const seeded = [
    { campaign: 'v', code: 'VENTA_OK', by: 'jose', peer: 'maria', closer: 'jose', opened: '2026-03-02T12:00:00Z', duration: 300, answer: 20 },
    { campaign: 'v', code: 'VENTA_OK', by: 'maria', peer: 'jose', closer: 'jose', opened: '2026-03-02T13:00:00Z', duration: 600, answer: 40 },
    // Closed 02:40 UTC on the 3rd: still 23:40 of the 2nd in Santiago.
    { campaign: 'v', code: 'CONSULTA', by: 'jose', peer: 'maria', closer: 'maria', opened: '2026-03-03T02:30:00Z', duration: 600, answer: null },
    { campaign: 'v', code: 'VENTA_OK', by: 'jose', peer: 'maria', closer: 'maria', opened: '2026-03-03T03:10:00Z', duration: 1200, answer: 90 },
    { campaign: 's', code: 'CONSULTA', by: 'pedro', peer: 'luis', closer: 'luis', opened: '2026-03-02T23:00:00Z', duration: 1800, answer: 60 },
    // Outside the period (a day before it, local time).
    { campaign: 'v', code: 'VENTA_OK', by: 'jose', peer: 'maria', closer: 'jose', opened: '2026-03-01T20:00:00Z', duration: 60, answer: 5 },
  ] as const;
  const period = 'from=2026-03-02&to=2026-03-03';
  // As the API shows figures: seconds with at most three decimals.
  const inSeconds = (s: { median: number | null; p90: number | null }) => ({ median: seconds(s.median), p90: seconds(s.p90) });

  beforeAll(async () => {
    as = await startTestAppservice();
    await importAgents(as, {
      campaigns: [
        { id: ventas, name: 'Ventas' },
        { id: soporte, name: 'Soporte', timeZone: 'UTC' },
      ],
      accounts: [
        { username: u('jose'), displayName: 'José Pérez', campaigns: [ventas] },
        { username: u('maria'), displayName: 'María Gómez', campaigns: [ventas] },
        { username: u('pedro'), displayName: 'Pedro Díaz', campaigns: [soporte] },
        { username: u('luis'), displayName: 'Luis Rojas', campaigns: [soporte] },
        { username: u('sofia'), displayName: 'Sofía Supervisora', role: 'supervisor', campaigns: [ventas] },
        { username: u('raul'), displayName: 'Raúl Supervisor', role: 'supervisor', campaigns: [soporte] },
        { username: u('ana'), displayName: 'Ana Admin', role: 'admin', campaigns: [] },
      ],
      typifications: [
        { campaign: ventas, code: 'VENTA_OK', label: 'Venta realizada' },
        { campaign: null, code: 'CONSULTA', label: 'Consulta resuelta' },
      ],
    });
    const { db } = as.running;
    for (const [i, c] of seeded.entries()) {
      const opened = new Date(c.opened);
      await db.query(
        `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at, typification_code, typification_label, first_answer_at)
         VALUES ($1, $2, $3, $4, $5, 'closed', $6, $7, $8, $9, $9, $10)`,
        [
          `!seed${i}-${t}:example`,
          u(c.by),
          u(c.peer),
          `seed-${i}-${t}`,
          c.campaign === 'v' ? ventas : soporte,
          opened,
          u(c.closer),
          new Date(opened.getTime() + c.duration * 1000),
          c.code,
          c.answer === null ? null : new Date(opened.getTime() + c.answer * 1000),
        ],
      );
    }
    jose = await loginAgent(as, u('jose'));
    maria = await loginAgent(as, u('maria'));
  });
  afterAll(async () => {
    await as?.stop();
  });

  it("counts a supervisor's campaign by typification, with exact medians and p90", async () => {
    const r = await report('sofia', 'supervisor', period);
    expect(r.campaigns).toEqual([{ id: ventas, name: 'Ventas', timeZone: 'America/Santiago' }]);
    // Durations 300, 600, 1200 s; first answers 20, 40, 90 s; rank 0.9 × 2 = 1.8.
    expect(r.rows).toEqual([
      { key: 'VENTA_OK', label: 'VENTA_OK', closed: 3, answered: 3, duration: { median: 600, p90: 1080 }, firstAnswer: { median: 40, p90: 80 } },
      { key: 'CONSULTA', label: 'CONSULTA', closed: 1, answered: 0, duration: { median: 600, p90: 600 }, firstAnswer: { median: null, p90: null } },
    ]);
    const inPeriod = seeded.filter((c) => c.campaign === 'v' && c.opened >= '2026-03-02');
    expect(r.total).toMatchObject({
      closed: 4,
      answered: 3,
      duration: inSeconds(spread(inPeriod.map((c) => c.duration * 1000))),
      firstAnswer: inSeconds(spread(inPeriod.flatMap((c) => (c.answer === null ? [] : [c.answer * 1000])))),
    });
    expect(r.total.duration).toEqual({ median: 600, p90: 1020 });
  });

  it('gives the same counts and figures within 2 % from the rollup on PostgreSQL (reports over many chats)', async () => {
    const { db } = as.running;
    const viaRollup = new ReportService({ db, defaultTimeZone: as.config.reports.defaultTimeZone, exactUpTo: 0 });
    const admin = { username: u('ana'), role: 'admin' as const };
    for (const by of ['typification', 'day', 'closer', 'campaign'] as const) {
      const approx = await viaRollup.report(admin, { from: '2026-03-01', to: '2026-03-03', by }, 'es');
      const exact = await report('ana', 'admin', `from=2026-03-01&to=2026-03-03&by=${by}`);
      expect(approx.approximate).toBe(true);
      expect(exact.approximate).toBe(false);
      expect(approx.rows.map((r) => [r.key, r.closed, r.answered])).toEqual(exact.rows.map((r) => [r.key, r.closed, r.answered]));
      for (const [i, row] of [...approx.rows, approx.total].entries()) {
        const other = [...exact.rows, exact.total][i];
        for (const [a, e] of [
          [row.duration.median, other?.duration.median],
          [row.duration.p90, other?.duration.p90],
          [row.firstAnswer.median, other?.firstAnswer.median],
          [row.firstAnswer.p90, other?.firstAnswer.p90],
        ] as const) {
          if (a === null || e === null || e === undefined) expect(a).toBe(e ?? null);
          else expect(Math.abs(a - e)).toBeLessThanOrEqual(0.02 * e + 0.001);
        }
      }
    }
  });

  it("puts each chat in its campaign's local day and fills days without chats", async () => {
    const r = await report('sofia', 'supervisor', `${period}&by=day`);
    expect(r.rows.map((row) => [row.key, row.closed])).toEqual([
      ['2026-03-02', 3],
      ['2026-03-03', 1],
    ]);
    const week = await report('ana', 'admin', 'from=2026-03-01&to=2026-03-03&by=week');
    // 2026-03-01 is a Sunday (week of Feb 23); the 2nd starts a new week. Soporte's chat is in UTC on the 2nd.
    expect(week.rows.map((row) => [row.key, row.closed])).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 5],
    ]);
  });

  it('counts by opening and closing agent, and by campaign for an admin', async () => {
    const opener = await report('sofia', 'supervisor', `${period}&by=opener`);
    expect(opener.rows.map((row) => [row.label, row.closed])).toEqual([
      ['José Pérez', 3],
      ['María Gómez', 1],
    ]);
    const closer = await report('sofia', 'supervisor', `${period}&by=closer`);
    expect(Object.fromEntries(closer.rows.map((row) => [row.key, row.closed]))).toEqual({ [u('jose')]: 2, [u('maria')]: 2 });
    const campaigns = await report('ana', 'admin', `${period}&by=campaign`);
    expect(Object.fromEntries(campaigns.rows.map((row) => [row.label, row.closed]))).toEqual({ Ventas: 4, Soporte: 1 });
    expect(campaigns.rows.find((row) => row.key === soporte)?.duration).toEqual({ median: 1800, p90: 1800 });
  });

  it('exports the same table as CSV (UTF-8 with BOM, ";")', async () => {
    const response = await get('sofia', 'supervisor', `/api/v1/reports/export.csv?${period}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain('attachment; filename="chattigo-reporte-typification-2026-03-02-2026-03-03.csv"');
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFTipificación;Código;Chats cerrados;Respondidos;Duración mediana (s);Duración p90 (s);Primera respuesta mediana (s);Primera respuesta p90 (s)');
    expect(lines[1]).toBe('VENTA_OK;VENTA_OK;3;3;600;1080;40;80');
    expect(lines[3]).toBe('Total;;4;3;600;1020;40;80');
  });

  it("keeps campaigns apart: agents get 403, a supervisor never sees another campaign's reports", async () => {
    expect((await get('jose', 'agent', `/api/v1/reports?${period}`)).statusCode).toBe(403);
    const other = await get('sofia', 'supervisor', `/api/v1/reports?${period}&campaign=${soporte}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toContain(soporte);
    expect((await get('sofia', 'supervisor', `/api/v1/reports/export.csv?campaign=${soporte}`)).statusCode).toBe(403);
    const raul = await report('raul', 'supervisor', period);
    expect(raul.total.closed).toBe(1);
    expect((await get('sofia', 'supervisor', '/api/v1/reports?from=2026-03-05&to=2026-03-01')).statusCode).toBe(400);
    expect((await get('sofia', 'supervisor', '/api/v1/reports?from=2026-02-30')).statusCode).toBe(400);
    expect((await get('sofia', 'supervisor', '/api/v1/reports?by=hour')).statusCode).toBe(400);
  });

  it("records the first answer: the first message of the agent who did not open the chat", async () => {
    roomId = await openChat(as.running.app, token('jose', 'agent'), u('maria'));
    await jose.sendTextMessage(roomId, 'Hola María, ¿tienes un minuto?');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const firstAnswer = async () =>
      (await as.running.db.query<{ at: Date | null }>('SELECT first_answer_at AS at FROM chats WHERE room_id = $1', [roomId]))[0]?.at ?? null;
    expect(await firstAnswer()).toBeNull();
    const { event_id: answer } = await maria.sendTextMessage(roomId, 'Sí, dime.');
    await maria.sendTextMessage(roomId, 'Te escucho.');
    const event = await maria.fetchRoomEvent(roomId, answer);
    await waitFor(async () => (await firstAnswer()) !== null, 'the first answer to be recorded', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await firstAnswer())?.getTime()).toBe(event.origin_server_ts);
  });

  it('lets a supervisor read a chat of their campaign, records every read and announces each once', async () => {
    const list = await get('sofia', 'supervisor', `/api/v1/review/chats?agent=${u('maria')}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().chats.map((c: { roomId: string }) => c.roomId)).toContain(roomId);

    const first = await get('sofia', 'supervisor', `/api/v1/review/chats/${encodeURIComponent(roomId)}`);
    expect(first.statusCode, first.body).toBe(200);
    const transcript = first.json();
    const texts = transcript.messages.filter((m: { kind: string }) => m.kind === 'text').map((m: { senderName: string; body: string }) => `${m.senderName}: ${m.body}`);
    expect(texts).toEqual(['José Pérez: Hola María, ¿tienes un minuto?', 'María Gómez: Sí, dime.', 'María Gómez: Te escucho.']);
    // The supervisor did not join the room.
    const { joined } = await as.running.app.gateway.intent().getJoinedRoomMembers(roomId);
    expect(Object.keys(joined)).not.toContain(as.running.app.gateway.userIdFor(u('sofia')));

    const second = await get('sofia', 'supervisor', `/api/v1/review/chats/${encodeURIComponent(roomId)}`);
    expect(second.statusCode).toBe(200);
    const rows = await as.running.db.query<{ reviewer: string }>('SELECT reviewer FROM chat_reviews WHERE room_id = $1 ORDER BY id', [roomId]);
    expect(rows.map((r) => r.reviewer)).toEqual([u('sofia'), u('sofia')]);

    const announced = async () => (await botNotices(jose, roomId, as.running.app.gateway.botUserId)).filter((b) => b.includes('revisó el historial'));
    await waitFor(async () => (await announced()).length === 2, 'two review notices', 20_000);
    // Sending a review's notice again (a retry) sends nothing new.
    await as.running.app.notices.send(`review:${transcript.reviewId}`, roomId, 'otra vez');
    expect(await announced()).toEqual(['Sofía Supervisora (supervisión) revisó el historial de este chat.', 'Sofía Supervisora (supervisión) revisó el historial de este chat.']);
    expect(await botNotices(maria, roomId, as.running.app.gateway.botUserId)).not.toContain('otra vez');
  });

  it("refuses other campaigns' chats and agents, and shows admins the audit", async () => {
    const url = `/api/v1/review/chats/${encodeURIComponent(roomId)}`;
    expect((await get('raul', 'supervisor', url)).statusCode).toBe(403);
    expect((await get('jose', 'agent', url)).statusCode).toBe(403);
    expect((await get('raul', 'supervisor', `/api/v1/review/chats?campaign=${ventas}`)).statusCode).toBe(403);
    expect((await get('sofia', 'supervisor', '/api/v1/review/audit')).statusCode).toBe(403);
    const count = async () => (await as.running.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_reviews')).at(0)?.n;
    expect(await count()).toBe(2);

    const admin = await get('ana', 'admin', url);
    expect(admin.statusCode).toBe(200);
    const audit = await get('ana', 'admin', '/api/v1/review/audit');
    expect(audit.statusCode).toBe(200);
    expect(audit.json().reviews.map((r: { reviewer: { username: string }; roomId: string }) => [r.reviewer.username, r.roomId])).toEqual([
      [u('ana'), roomId],
      [u('sofia'), roomId],
      [u('sofia'), roomId],
    ]);
  });

  it('records a review without a notice where the deployment turns them off', async () => {
    const { app, db } = as.running;
    const quiet = new ReviewService({ db, gateway: app.gateway, notices: app.notices, languageOf: async () => null, reports: app.reports, notifyParticipants: false, log: createLogger('silent') });
    const before = (await botNotices(jose, roomId, app.gateway.botUserId)).length;
    const transcript = await quiet.review({ username: u('sofia'), role: 'supervisor' }, roomId);
    expect(await db.query('SELECT 1 FROM chat_reviews WHERE id = $1', [transcript.reviewId])).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await botNotices(jose, roomId, app.gateway.botUserId)).toHaveLength(before);
  });

  it('answers !reporte in a direct chat with the bot, for supervisors only', async () => {
    const sofia = await loginAgent(as, u('sofia'));
    const bot = as.running.app.gateway.botUserId;
    const { room_id: dm } = await sofia.createRoom({ invite: [bot], is_direct: true, preset: Preset.TrustedPrivateChat });
    await waitFor(async () => (await sofia.getJoinedRoomMembers(dm)).joined[bot] !== undefined, 'the bot to join', 20_000);
    const reply = await botReply(sofia, dm, bot, `!reporte ${ventas} 2026-03-02 2026-03-03`);
    expect(reply).toContain('Reporte del 2026-03-02 al 2026-03-03 — Ventas');
    expect(reply).toContain('Chats cerrados: 4. Duración: mediana 10 min 00 s, p90 17 min 00 s.');
    expect(reply).toContain('• VENTA_OK — VENTA_OK: 3 (mediana 10 min 00 s)');
    expect(reply).toContain(`/supervision?desde=2026-03-02&hasta=2026-03-03&campana=${ventas}`);
    expect(await botReply(sofia, dm, bot, `!report ${soporte}`)).toContain(soporte);

    const { room_id: joseDm } = await jose.createRoom({ invite: [bot], is_direct: true, preset: Preset.TrustedPrivateChat });
    await waitFor(async () => (await jose.getJoinedRoomMembers(joseDm)).joined[bot] !== undefined, 'the bot to join', 20_000);
    const refused = await botReply(jose, joseDm, bot, '!reporte');
    expect(refused).not.toContain('Chats cerrados');
  });
});
