import { Direction, type MatrixClient } from 'matrix-js-sdk';
import { slaNoticeOf } from '@chattigo/contracts/event-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { startAppservice, type RunningAppservice } from '../../src/server.ts';
import { apiSession, importAgents, loginAgent, openChat, runNames } from '../helpers/agents.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { botNotices } from '../helpers/matrix-clients.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The answer-time SLA on a real Synapse and PostgreSQL. The campaign's SLA is imported as 0.1
 * minutes (6 s): the reminder is due 6 s after a question, the escalation 12 s after it; the leader
 * scans every 500 ms. The appservice is stopped and started again on the same database in between.
 */
describe('answer-time SLA', () => {
  let as: TestAppservice;
  let running: RunningAppservice;
  let jose: MatrixClient;
  let maria: MatrixClient;
  let roomId: string;
  const { t, u } = runNames();
  const ventas = `ventas-${t}`;
  const start = (deps = {}) => startAppservice(as.config, { log: createLogger('warn'), deps, intervalsMs: { 'sla.scan': 500 } });

  beforeAll(async () => {
    as = await startTestAppservice();
    running = as.running;
    await importAgents(as, {
      campaigns: [{ id: ventas, name: 'Ventas', slaMinutes: 0.1 }],
      accounts: [
        { username: u('jose'), displayName: 'José Pérez', campaigns: [ventas] },
        { username: u('maria'), displayName: 'María Gómez', campaigns: [ventas] },
        { username: u('sara'), displayName: 'Sara Supervisora', role: 'supervisor', campaigns: [ventas] },
      ],
    });
    // The helper's appservice has the default scan interval (15 s): run one with a short one.
    await running.stop();
    running = await start();
    jose = await loginAgent(as, u('jose'));
    maria = await loginAgent(as, u('maria'));
    roomId = await openChat(running.app, await apiSession(running.app, jose), u('maria'));
  });
  afterAll(async () => {
    await running?.stop();
    await as?.database.drop();
  });

  const bot = () => running.app.gateway.botUserId;
  const reminders = async () => (await botNotices(jose, roomId, bot())).filter((b) => b.startsWith('⏰'));
  const supervisorRoom = async () =>
    (await running.db.query<{ room_id: string }>('SELECT room_id FROM sla_supervisor_rooms WHERE username = $1', [u('sara')]))[0]?.room_id;
  const escalationNotices = async () => {
    const room = await supervisorRoom();
    return room ? (await botNotices(running.app.gateway.intent(), room, bot())).filter((b) => b.startsWith('SLA vencido')) : [];
  };

  it('reminds once in the chat, then tells the supervisor once, also across a restart', async () => {
    await jose.sendTextMessage(roomId, '¿Me ayudas con un cliente?');
    await waitFor(async () => (await reminders()).length === 1, 'the reminder', 30_000);
    // To María by name (her Matrix id only in the mention, never in the text).
    expect((await reminders())[0]).toMatch(/^⏰ María Gómez, José Pérez espera tu respuesta/);
    expect((await reminders())[0]).not.toContain(running.app.gateway.userIdFor(u('maria')));
    // The reminder says who must answer in a field the web client reads (com.chattigo.sla).
    const page = await jose.createMessagesRequest(roomId, null, 50, Direction.Backward);
    const reminder = page.chunk.find((e) => e.sender === bot() && String(e.content['body']).startsWith('⏰'));
    expect(slaNoticeOf(reminder?.content)).toMatchObject({
      kind: 'reminder',
      room_id: roomId,
      asker: running.app.gateway.userIdFor(u('jose')),
      askee: running.app.gateway.userIdFor(u('maria')),
      sla_seconds: 6,
    });
    // Down across the escalation's due time: the new process sends it, and only it.
    await running.stop();
    await new Promise((resolve) => setTimeout(resolve, 7000));
    running = await start();
    await waitFor(async () => (await escalationNotices()).length === 1, 'the escalation', 30_000);
    expect((await escalationNotices())[0]).toMatch(/^SLA vencido en la campaña Ventas: José Pérez escribió a María Gómez/);
    const rows = await running.db.query<{ asker: string; askee: string }>('SELECT asker, askee FROM sla_escalations');
    expect(rows).toEqual([{ asker: u('jose'), askee: u('maria') }]);
    // Sara was invited to the bot's direct chat.
    const members = await running.app.gateway.intent().getJoinedRoomMembers((await supervisorRoom()) ?? '');
    expect(Object.keys(members.joined)).toContain(bot());
    // More scans send nothing again.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await reminders()).toHaveLength(1);
    expect(await escalationNotices()).toHaveLength(1);

    const supervisor = await apiSession(running.app, await loginAgent(as, u('sara')));
    const report = await running.app.server.inject({ method: 'GET', url: '/api/v1/supervision/sla', headers: { authorization: `Bearer ${supervisor}` } });
    expect(report.statusCode).toBe(200);
    expect(report.json().escalations).toMatchObject([{ asker: u('jose'), askee: u('maria'), campaignId: ventas, slaSeconds: 6 }]);
  }, 120_000);

  it('a reply before the deadline prevents the reminder and the escalation', async () => {
    const before = { reminders: (await reminders()).length, escalations: (await escalationNotices()).length };
    await maria.sendTextMessage(roomId, 'Claro, dime.'); // answers José, asks nothing
    await jose.sendTextMessage(roomId, 'Gracias, ya lo resolví.'); // asks nothing: no question
    await maria.sendTextMessage(roomId, '¿Algo más?'); // a question back to José
    // With the SLA off, José's answer asks nothing new: nothing stays open.
    await running.db.query('UPDATE campaigns SET sla_minutes = 0 WHERE id = $1', [ventas]);
    await jose.sendTextMessage(roomId, 'Chau.');
    await waitFor(async () => (await running.db.query('SELECT 1 FROM sla_questions')).length === 0, 'every question answered');
    // Past both deadlines of the answered questions: no reminder, no escalation.
    await new Promise((resolve) => setTimeout(resolve, 13_000));
    expect((await reminders()).length).toBe(before.reminders);
    expect((await escalationNotices()).length).toBe(before.escalations);
  }, 60_000);
});
