import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmbeddedApp, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';
import { seedAccounts, seedCampaigns, sessionToken } from '../helpers/directory.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('GET /api/v1/supervision/sla and the campaign SLA import', () => {
  let t: EmbeddedApp;
  let now = T0;

  beforeAll(async () => {
    t = await buildEmbeddedApp({ directory: { publishToMatrix: false }, now: () => now });
    await seedCampaigns(t.db, [
      { id: 'ventas', name: 'Ventas' },
      { id: 'soporte', name: 'Soporte' },
    ]);
    await seedAccounts(t.db, [
      { username: 'ana', displayName: 'Ana', campaigns: ['ventas'] },
      { username: 'beto', displayName: 'Beto', campaigns: ['ventas'] },
      { username: 'sara', displayName: 'Sara', role: 'supervisor', campaigns: ['ventas'] },
      { username: 'sol', displayName: 'Sol', role: 'supervisor', campaigns: ['soporte'] },
      { username: 'root', displayName: 'Root', role: 'admin' },
    ]);
    await t.db.query(
      `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status) VALUES ('!c:chattigo.localhost', 'ana', 'beto', 'ana|beto', 'ventas', 'open')`,
    );
    await t.app.sla.onEvent({
      event_id: '$q1',
      room_id: '!c:chattigo.localhost',
      type: 'm.room.message',
      sender: '@chattigo_ana:chattigo.localhost',
      origin_server_ts: T0,
      content: { msgtype: 'm.text', body: '¿me ayudas?' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (username: string, query = '') =>
    t.app.server.inject({ method: 'GET', url: `/api/v1/supervision/sla${query}`, headers: { authorization: `Bearer ${sessionToken(t.app, username)}` } });

  it('is for supervisors (their campaigns) and admins (all); agents get 403, no session 401, bad query 400', async () => {
    expect((await t.app.server.inject({ method: 'GET', url: '/api/v1/supervision/sla' })).statusCode).toBe(401);
    expect((await get('ana')).statusCode).toBe(403);
    expect((await get('sara', '?limit=0')).statusCode).toBe(400);
    now = T0 + 6 * 60_000;
    const sara = await get('sara');
    expect(sara.statusCode).toBe(200);
    expect(sara.json()).toMatchObject({
      overdue: [
        {
          eventId: '$q1',
          asker: 'ana',
          askee: 'beto',
          askerName: 'Ana',
          askeeName: 'Beto',
          campaignId: 'ventas',
          campaignName: 'Ventas',
          slaSeconds: 300,
          reminded: false,
          escalated: false,
        },
      ],
      escalations: [],
    });
    expect((await get('sol')).json()).toEqual({ overdue: [], escalations: [] });
    expect((await get('root')).json().overdue).toHaveLength(1);
  });

  it('imports a campaign SLA in minutes (fractions allowed) and refuses a bad one', async () => {
    const provision = (body: unknown) =>
      t.app.server.inject({
        method: 'PUT',
        url: '/api/v1/provisioning/directory',
        headers: { authorization: `Bearer ${testSecrets.provisioning_token}` },
        payload: body as object,
      });
    const ok = await provision({ campaigns: [{ id: 'ventas', name: 'Ventas', slaMinutes: 0.5 }] });
    expect(ok.statusCode).toBe(200);
    expect(await t.db.query("SELECT sla_minutes FROM campaigns WHERE id = 'ventas'")).toEqual([{ sla_minutes: 0.5 }]);
    expect((await provision({ campaigns: [{ id: 'ventas', name: 'Ventas', slaMinutes: -1 }] })).statusCode).toBe(400);
    expect((await provision({ campaigns: [{ id: 'ventas', name: 'Ventas', slaMinutes: 'cinco' }] })).statusCode).toBe(400);
  });
});
