import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import type { Database } from '../../src/db/database.ts';
import { createChatRepository } from '../../src/features/chats/repository.ts';
import { CommandRegistry } from '../../src/commands/registry.ts';
import { slaCommands } from '../../src/features/sla/commands.ts';
import { createSlaRepository } from '../../src/features/sla/repository.ts';
import { SlaService } from '../../src/features/sla/service.ts';
import type { Notice } from '../../src/matrix/notices.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { seedAccounts, seedCampaigns } from '../helpers/directory.ts';

const ROOM = '!chat:chattigo.test';
const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('SLA service on the embedded store (fake clock)', () => {
  let db: Database;
  let now = T0;
  let sent: { key: string; roomId: string; body: string; notice: Notice }[] = [];
  let directRooms: string[] = [];
  let service: SlaService;
  let n = 0;

  const make = () =>
    new SlaService({
      repo: createSlaRepository(db),
      chats: createChatRepository(db),
      gateway: {
        usernameOf: (userId) => /^@chattigo_([^:]+):chattigo\.test$/.exec(userId)?.[1],
        userIdFor: (username) => `@chattigo_${username}:chattigo.test`,
      },
      notices: {
        send: async (key, roomId, given) => {
          const notice = typeof given === 'string' ? { body: given } : given;
          // Exactly once per key, as NoticeService does.
          if (!sent.some((s) => s.key === key)) sent.push({ key, roomId, body: notice.body, notice });
          return { key, roomId, body: notice.body, extra: null, inReplyTo: null, sent: true };
        },
      },
      // Beto reads English; the others have no language in the directory.
      languageOf: async (username) => (username === 'beto' ? 'en' : null),
      publicUrl: 'https://chat.example.test',
      createDirectRoom: async (userId) => {
        directRooms.push(userId);
        return `!dm-${directRooms.length}:chattigo.test`;
      },
      log: createLogger('silent'),
      defaultMinutes: 5,
      now: () => now,
    });
  const say = (username: string, at: number, body = '¿Me ayudas?') =>
    service.onEvent({
      event_id: `$m${++n}`,
      room_id: ROOM,
      type: 'm.room.message',
      sender: `@chattigo_${username}:chattigo.test`,
      origin_server_ts: at,
      content: { msgtype: 'm.text', body },
    });

  beforeAll(async () => {
    db = await openMigratedStore();
    await seedCampaigns(db, [{ id: 'ventas', name: 'Ventas' }]);
    await seedAccounts(db, [
      { username: 'ana', displayName: 'Ana', campaigns: ['ventas'] },
      { username: 'beto', displayName: 'Beto', campaigns: ['ventas'] },
      { username: 'sara', displayName: 'Sara', role: 'supervisor', campaigns: ['ventas'] },
    ]);
    await createChatRepository(db).insert({ roomId: ROOM, openedBy: 'ana', peer: 'beto', campaignId: 'ventas', openedAt: new Date(T0) });
    await createChatRepository(db).markOpen(ROOM);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM sla_questions');
    await db.query('DELETE FROM sla_escalations');
    await db.query('DELETE FROM sla_supervisor_rooms');
    await db.query('UPDATE campaigns SET sla_minutes = NULL');
    sent = [];
    directRooms = [];
    now = T0;
    service = make();
  });

  it('reminds once after the SLA and escalates once to the supervisors after a second period, also with a new service (restart)', async () => {
    await say('ana', T0);
    now = T0 + 5 * MINUTE - 1;
    expect(await service.scan()).toBe(0);
    now = T0 + 5 * MINUTE;
    expect(await service.scan()).toBe(1);
    expect(sent.map((s) => [s.key, s.roomId])).toEqual([[`sla-reminder:$m${n}`, ROOM]]);
    // Written for Beto: by name (a pill and a mention, no Matrix id in the text), in his language only.
    const reminder = sent[0]?.notice;
    expect(reminder?.body).toBe("⏰ Beto, Ana has been waiting for your answer for more than 5 min (the campaign's answer time).");
    expect(reminder?.html).toContain('<a href="https://matrix.to/#/%40chattigo_beto%3Achattigo.test">Beto</a>, Ana has been waiting');
    expect(reminder?.mentions).toEqual(['@chattigo_beto:chattigo.test']);
    expect(reminder?.meta).toMatchObject({ kind: 'sla.reminder', recipients: ['@chattigo_beto:chattigo.test'] });
    expect(reminder?.meta?.texts.es).toMatch(/^⏰ Beto, Ana espera tu respuesta/);
    // The reminder also carries com.chattigo.sla, which the web client notifies the agent who must answer about.
    const marker = {
      room_id: ROOM,
      question: `$m${n}`,
      asker: '@chattigo_ana:chattigo.test',
      askee: '@chattigo_beto:chattigo.test',
      asked_at: T0,
      sla_seconds: 300,
    };
    expect(reminder?.fields).toEqual({ 'com.chattigo.sla': { kind: 'reminder', ...marker } });
    expect(await service.scan()).toBe(0);
    service = make(); // a restart: the state is in the database
    now = T0 + 10 * MINUTE;
    expect(await service.scan()).toBe(1);
    expect(await make().scan()).toBe(0);
    expect(sent.map((s) => s.roomId)).toEqual([ROOM, '!dm-1:chattigo.test']);
    // Sara has no language of her own: Spanish; the chat is a link to its review page, not a room id.
    const escalation = sent[1]?.body ?? '';
    expect(escalation).toMatch(/^SLA vencido en la campaña Ventas: Ana escribió a Beto \(01-12-26, 10:00 UTC\)/);
    expect(escalation).toContain(`https://chat.example.test/supervision/chats/${encodeURIComponent(ROOM)}`);
    expect(escalation).not.toMatch(/[@!][a-z_]+:chattigo\.test/);
    expect(sent[1]?.notice.fields).toEqual({ 'com.chattigo.sla': { kind: 'escalation', ...marker } });
    expect(directRooms).toEqual(['@chattigo_sara:chattigo.test']);
    const escalations = await db.query<{ asker: string; askee: string; campaign_id: string }>('SELECT asker, askee, campaign_id FROM sla_escalations');
    expect(escalations).toEqual([{ asker: 'ana', askee: 'beto', campaign_id: 'ventas' }]);
    // The supervisor's room is reused for the next escalation.
    await say('ana', now); // same asker: still the same question, nothing new
    await say('beto', now + 1);
    now += 11 * MINUTE;
    expect(await service.scan()).toBe(2);
    expect(directRooms).toHaveLength(1);
  });

  it('takes no command to the bot as a question or an answer', async () => {
    await say('ana', T0, '!tipificaciones');
    expect(await db.query('SELECT 1 FROM sla_questions')).toEqual([]);
    await say('ana', T0);
    await say('beto', T0 + 1000, '!ayuda');
    expect(await db.query('SELECT asker FROM sla_questions')).toEqual([{ asker: 'ana' }]);
  });

  it('a reply before the deadline prevents both', async () => {
    await say('ana', T0);
    await say('beto', T0 + 4 * MINUTE); // answers ana (and asks back)
    await say('ana', T0 + 4 * MINUTE + 1000); // answers beto
    now = T0 + 9 * MINUTE;
    expect(await service.scan()).toBe(0);
    expect(sent).toEqual([]);
  });

  it("uses the campaign's own SLA (fractions of a minute) and 0 turns it off", async () => {
    await db.query("UPDATE campaigns SET sla_minutes = 0.05 WHERE id = 'ventas'");
    await say('ana', T0);
    now = T0 + 3000;
    expect(await service.scan()).toBe(1);
    now = T0 + 6000;
    expect(await service.scan()).toBe(1);
    await db.query("UPDATE campaigns SET sla_minutes = 0 WHERE id = 'ventas'");
    await say('beto', now); // answers; with SLA off asks nothing
    expect(await db.query('SELECT 1 FROM sla_questions')).toEqual([]);
  });

  it('lists open questions past their SLA for the !sla command', async () => {
    await say('ana', T0);
    now = T0 + 6 * MINUTE;
    expect(await service.overdueReply('sara', 'supervisor', 'es')).toContain('Ana → Beto (Ventas)');
    expect(await service.overdueReply('beto', 'supervisor', 'es')).toContain('Ana → Beto');
    await db.query('DELETE FROM memberships WHERE username = $1', ['beto']);
    expect(await service.overdueReply('beto', 'supervisor', 'es')).toBe('No hay preguntas fuera de plazo en tus campañas.');
    await db.query("INSERT INTO memberships (username, campaign_id) VALUES ('beto', 'ventas')");
  });

  it('!sla answers supervisors and admins, in a chat or a direct chat with the bot, and refuses agents', async () => {
    const registry = new CommandRegistry({ commands: slaCommands(service), log: createLogger('silent') });
    const run = (input: string, username: string, role: 'agent' | 'supervisor' | 'admin', scope: 'direct' | 'chat' = 'direct') =>
      registry.execute(input, { caller: { userId: `@chattigo_${username}:chattigo.test`, username, role }, scope, roomId: '!dm:x', eventId: '$c' });
    await say('ana', T0);
    now = T0 + 6 * MINUTE;
    expect((await run('!sla', 'sara', 'supervisor')).reply).toMatch(/^Preguntas fuera de plazo: 1\n• Ana → Beto \(Ventas\): esperando 6 min/);
    expect((await run('!sla', 'root', 'admin', 'chat')).reply).toContain('Ana → Beto');
    expect((await run('!sla', 'ana', 'agent')).status).toBe('forbidden');
  });
});
