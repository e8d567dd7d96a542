import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEmbeddedApp, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';
import { report, seedAccounts, seedCampaigns, sessionToken } from '../helpers/directory.ts';

const platform = { authorization: `Bearer ${testSecrets.provisioning_token}` };

describe('directory API and workload feed', () => {
  let t: EmbeddedApp;
  let ana: { authorization: string };

  beforeAll(async () => {
    t = await buildEmbeddedApp({ directory: { publishToMatrix: false } });
    await seedCampaigns(t.db, [{ id: 'ventas', name: 'Ventas' }]);
    await seedAccounts(t.db, [
      { username: 'ana', displayName: 'Ana Gómez', campaigns: ['ventas'] },
      { username: 'jperez', displayName: 'José Pérez', campaigns: ['ventas'] },
      { username: 'mlopez', displayName: 'María López', role: 'supervisor' },
      { username: 'baja', displayName: 'José Baja', active: false },
    ]);
    ana = { authorization: `Bearer ${sessionToken(t.app, 'ana')}` };
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.db.query('DELETE FROM agent_workload');
  });

  const list = (query: string, headers: Record<string, string> = ana) =>
    t.app.server.inject({ method: 'GET', url: `/api/v1/directory${query}`, headers });
  const feed = (body: unknown, headers: Record<string, string> = platform) =>
    t.app.server.inject({ method: 'PUT', url: '/api/v1/platform/workload', headers, payload: body as object });
  const workload = () =>
    t.db.query<{ username: string; platform_status: string; chats_in_attention: number; active: boolean }>(
      'SELECT username, platform_status, chats_in_attention, active FROM agent_workload ORDER BY username',
    );

  describe('GET /api/v1/directory', () => {
    it('needs an agent session, from the Authorization header only', async () => {
      expect((await list('', {})).statusCode).toBe(401);
      expect((await list(`?access_token=${sessionToken(t.app, 'ana')}`, {})).statusCode).toBe(401);
      expect((await list('', { authorization: `Bearer ${sessionToken(t.app, 'baja')}` })).statusCode).toBe(401);
    });

    it('lists the other active agents with their campaigns, user ids and counts', async () => {
      const response = await list('');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        agents: [
          {
            username: 'jperez',
            userId: '@chattigo_jperez:chattigo.localhost',
            displayName: 'José Pérez',
            role: 'agent',
            active: false,
            chatsInAttention: 0,
            capacity: null,
            atLimit: false,
            campaigns: [{ id: 'ventas', name: 'Ventas' }],
          },
          {
            username: 'mlopez',
            userId: '@chattigo_mlopez:chattigo.localhost',
            displayName: 'María López',
            role: 'supervisor',
            active: false,
            chatsInAttention: 0,
            capacity: null,
            atLimit: false,
            campaigns: [],
          },
        ],
        total: 2,
        limit: 50,
        offset: 0,
        campaigns: [{ id: 'ventas', name: 'Ventas' }],
      });
    });

    it('filters by campaign, and refuses a malformed campaign id with the field named', async () => {
      expect((await list('?campaign=ventas')).json()).toMatchObject({ total: 1, agents: [{ username: 'jperez' }] });
      expect((await list('?campaign=otra')).json()).toMatchObject({ total: 0, agents: [] });
      const bad = await list('?campaign=Ventas%20Hogar');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toContain('campaign');
    });

    it('searches by parts of names ignoring case and accents, filters and pages', async () => {
      const usernames = async (query: string) => (await list(query)).json().agents.map((a: { username: string }) => a.username);
      expect(await usernames(`?q=${encodeURIComponent('JOSE per')}`)).toEqual(['jperez']);
      expect(await usernames(`?q=${encodeURIComponent('lópez')}`)).toEqual(['mlopez']);
      expect(await usernames('?q=baja')).toEqual([]);
      await feed({ reports: [report('mlopez', 2, '2024-05-01T00:00:00Z')] });
      expect(await usernames('')).toEqual(['mlopez', 'jperez']);
      expect(await usernames('?status=active')).toEqual(['mlopez']);
      expect(await usernames('?status=inactive')).toEqual(['jperez']);
      const page = (await list('?limit=1&offset=1')).json();
      expect(page).toMatchObject({ total: 2, limit: 1, offset: 1, agents: [{ username: 'jperez' }] });
    });

    it('refuses bad parameters with 400 naming them', async () => {
      const response = await list('?limit=0&status=sometimes');
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/limit|status/);
    });
  });

  describe('PUT /api/v1/platform/workload', () => {
    it('needs the platform token: an agent can set neither their own count nor anyone else’s', async () => {
      const body = { reports: [report('ana', 7, '2024-05-01T00:00:00Z')] };
      expect((await feed(body, {})).statusCode).toBe(401);
      expect((await feed(body, { authorization: 'Bearer not-the-token' })).statusCode).toBe(403);
      expect((await feed(body, ana)).statusCode).toBe(403);
      const other = { reports: [report('jperez', 7, '2024-05-01T00:00:00Z')] };
      expect((await feed(other, ana)).statusCode).toBe(403);
      expect(await workload()).toEqual([]);
      const methods = ['POST', 'PATCH', 'PUT'] as const;
      for (const method of methods) {
        const response = await t.app.server.inject({ method, url: '/api/v1/directory', headers: ana, payload: body });
        expect(response.statusCode).toBe(404);
      }
    });

    it('applies a single report and a batch, and reports unknown usernames per item', async () => {
      const single = await feed({ reports: [report('ana', 3, '2024-05-01T00:00:00Z')] });
      expect(single.statusCode).toBe(200);
      expect(single.json()).toEqual({ results: [{ username: 'ana', outcome: 'applied' }] });
      const batch = await feed({
        reports: [report('jperez', 1, '2024-05-01T00:00:00Z', 'away'), report('nadie', 2, '2024-05-01T00:00:00Z'), report('ana', 4, '2024-05-01T00:01:00Z')],
      });
      expect(batch.json()).toEqual({
        results: [
          { username: 'jperez', outcome: 'applied' },
          { username: 'nadie', outcome: 'unknown_username' },
          { username: 'ana', outcome: 'applied' },
        ],
      });
      expect(await workload()).toEqual([
        { username: 'ana', platform_status: 'online', chats_in_attention: 4, active: true },
        { username: 'jperez', platform_status: 'away', chats_in_attention: 1, active: false },
      ]);
    });

    it('never lets a late report overwrite a newer one', async () => {
      await feed({ reports: [report('ana', 5, '2024-05-01T10:00:00Z', 'online')] });
      const late = await feed({ reports: [report('ana', 1, '2024-05-01T09:59:00Z', 'offline')] });
      expect(late.json()).toEqual({ results: [{ username: 'ana', outcome: 'stale' }] });
      // Within one batch too, whatever the order: the newest report counts.
      const mixed = await feed({
        reports: [report('jperez', 9, '2024-05-01T10:05:00Z'), report('jperez', 2, '2024-05-01T10:00:00Z', 'offline')],
      });
      expect(mixed.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['applied', 'stale']);
      // A timestamp in another offset is compared as an instant.
      const sameInstant = await feed({ reports: [report('ana', 8, '2024-05-01T07:00:00-03:00')] });
      expect(sameInstant.json().results[0].outcome).toBe('stale');
      expect(await workload()).toEqual([
        { username: 'ana', platform_status: 'online', chats_in_attention: 5, active: true },
        { username: 'jperez', platform_status: 'online', chats_in_attention: 9, active: true },
      ]);
    });

    it('refuses a malformed batch with 400 listing every problem, and changes nothing', async () => {
      const response = await feed({
        reports: [
          report('ana', 2, '2024-05-01T00:00:00Z'),
          { username: 'José', status: 'busy', chatsInAttention: -1, at: 'ayer', extra: true },
          { username: 'jperez', status: 'online', chatsInAttention: 1001, at: '2024-05-01T00:00:00' },
          { username: 'jperez', status: 'online', chatsInAttention: 1.5 },
        ],
      });
      expect(response.statusCode).toBe(400);
      const body = response.json();
      expect(body.errcode).toBe('M_BAD_JSON');
      expect(body.error).toContain('no se aplicó nada');
      expect(body.problems.map((p: { path: string }) => p.path).sort()).toEqual(
        [
          'reports.1.extra',
          'reports.1.username',
          'reports.1.status',
          'reports.1.chatsInAttention',
          'reports.1.at',
          'reports.2.chatsInAttention',
          'reports.2.at',
          'reports.3.chatsInAttention',
          'reports.3.at',
        ].sort(),
      );
      expect(await workload()).toEqual([]);
      for (const bad of [{}, { reports: [] }, { reports: 'x' }, [report('ana', 1, '2024-05-01T00:00:00Z')]]) {
        const r = await feed(bad);
        expect(r.statusCode, JSON.stringify(bad)).toBe(400);
        expect(r.json().problems.length).toBeGreaterThan(0);
      }
      const notJson = await t.app.server.inject({
        method: 'PUT',
        url: '/api/v1/platform/workload',
        headers: { ...platform, 'content-type': 'application/json' },
        payload: '{"reports": [',
      });
      expect(notJson.statusCode).toBe(400);
      expect(await workload()).toEqual([]);
    });

    it('refuses a report from the future with the rest of its batch', async () => {
      const future = new Date(Date.now() + 60 * 60_000).toISOString();
      const response = await feed({ reports: [report('ana', 1, '2020-01-01T00:00:00Z'), report('jperez', 1, future)] });
      expect(response.statusCode).toBe(400);
      expect(response.json().problems).toEqual([{ path: 'reports.1.at', message: 'is more than 5 minutes in the future' }]);
      expect(await workload()).toEqual([]);
    });
  });

  describe('presence from the homeserver', () => {
    const hs = { authorization: `Bearer ${testSecrets.hs_token}` };
    let txn = 0;
    const presence = (username: string, state: string, statusMsg?: string) => ({
      type: 'm.presence',
      sender: `@chattigo_${username}:chattigo.localhost`,
      content: { presence: state, ...(statusMsg ? { status_msg: statusMsg } : {}) },
    });
    const deliver = async (ephemeral: unknown[]) => {
      const response = await t.app.server.inject({
        method: 'PUT',
        url: `/_matrix/app/v1/transactions/presence-${++txn}`,
        headers: hs,
        payload: { events: [], ephemeral, 'de.sorunome.msc2409.ephemeral': ephemeral },
      });
      expect(response.statusCode).toBe(200);
      await t.app.processor.idle();
    };
    const activeOf = async (username: string) =>
      (await list(`?q=${username}`)).json().agents.find((a: { username: string }) => a.username === username)?.active;

    it('makes an agent active while their Matrix presence is live, inactive when offline', async () => {
      await deliver([presence('jperez', 'online')]);
      expect(await activeOf('jperez')).toBe(true);
      await deliver([presence('jperez', 'unavailable')]);
      expect(await activeOf('jperez')).toBe(true);
      await deliver([presence('jperez', 'offline')]);
      expect(await activeOf('jperez')).toBe(false);
    });

    it('counts the platform’s online as active too, whatever Matrix says', async () => {
      await feed({ reports: [report('jperez', 2, '2024-05-01T00:00:00Z', 'online')] });
      await deliver([presence('jperez', 'offline')]);
      expect(await activeOf('jperez')).toBe(true);
      await feed({ reports: [report('jperez', 2, '2024-05-01T00:01:00Z', 'offline')] });
      expect(await activeOf('jperez')).toBe(false);
    });

    it('takes the last presence of a user in a transaction, once, and ignores other users and events', async () => {
      const counted = async () => (await t.app.metrics.presenceUpdates.get()).values.reduce((n, v) => n + v.value, 0);
      const before = await counted();
      await deliver([
        presence('jperez', 'online'),
        presence('jperez', 'offline'),
        { type: 'm.presence', sender: '@someone:elsewhere', content: { presence: 'online' } },
        { type: 'm.typing', room_id: '!r:chattigo.localhost', content: { user_ids: [] } },
        { type: 'm.presence', sender: '@chattigo_nadie:chattigo.localhost', content: { presence: 'online' } },
        { type: 'm.presence', sender: '@chattigo_ana:chattigo.localhost', content: { nope: 1 } },
      ]);
      expect(await activeOf('jperez')).toBe(false);
      expect((await counted()) - before).toBe(1);
    });
  });
});
