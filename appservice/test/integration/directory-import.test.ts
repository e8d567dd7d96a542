import bcrypt from 'bcryptjs';
import { createClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecrets, type Secrets } from '../../src/config/secrets.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';

describe('directory import → Matrix users and spaces', () => {
  let as: TestAppservice;
  let secrets: Secrets;
  const tag = `${Date.now() % 1_000_000}`;
  const u = (name: string) => `${name}${tag}`;
  const c = (name: string) => `${name}-${tag}`;

  beforeAll(async () => {
    as = await startTestAppservice();
    secrets = await loadSecrets(as.stack.secretsDir);
  });
  afterAll(async () => {
    await as?.stop();
  });

  const importBatch = async (body: unknown, query = '') =>
    as.running.app.server.inject({
      method: 'PUT',
      url: `/api/v1/provisioning/directory${query}`,
      headers: { authorization: `Bearer ${secrets.provisioning_token}` },
      payload: body as object,
    });
  const bot = () => as.running.app.gateway.intent();
  const userId = (username: string) => as.running.app.gateway.userIdFor(username);
  const spaceOf = async (campaign: string) =>
    (await as.running.db.query<{ space_room_id: string }>('SELECT space_room_id FROM campaigns WHERE id = $1', [campaign]))[0]
      ?.space_room_id ?? '';
  const joined = async (campaign: string) => Object.keys((await bot().getJoinedRoomMembers(await spaceOf(campaign))).joined).sort();
  const login = (user: string, password: string) =>
    createClient({ baseUrl: as.stack.homeserverUrl }).loginRequest({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user },
      password,
    });

  let batch: {
    campaigns: { id: string; name: string }[];
    accounts: Record<string, unknown>[];
  };

  it('creates users with display names, campaign spaces and joined memberships', async () => {
    batch = {
      campaigns: [
        { id: c('ventas'), name: 'Ventas' },
        { id: c('soporte'), name: 'Soporte técnico' },
      ],
      accounts: [
        { username: u('jperez'), displayName: 'José Pérez', email: 'jose@example.com', campaigns: [c('ventas')], passwordHash: await hashPassword('clave-de-jose') },
        { username: u('mgomez'), displayName: 'María Gómez', campaigns: [c('ventas'), c('soporte')], passwordHash: bcrypt.hashSync('clave-de-maria', 8) },
        { username: u('admin'), displayName: 'Ana Admin', role: 'admin', campaigns: [] },
      ],
    };
    const response = await importBatch(batch);
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.accounts.created).toHaveLength(3);
    expect(report.campaigns.created).toHaveLength(2);
    expect(report.memberships.added).toBe(3);
    expect(report.matrix).toEqual({ synced: 5, failed: 0 });

    expect((await bot().getProfileInfo(userId(u('jperez')))).displayname).toBe('José Pérez');
    const create = await bot().getStateEvent(await spaceOf(c('ventas')), 'm.room.create', '');
    expect(create['type']).toBe('m.space');
    expect(await joined(c('ventas'))).toEqual([as.running.app.gateway.botUserId, userId(u('jperez')), userId(u('mgomez'))].sort());
    expect(await joined(c('soporte'))).toEqual([as.running.app.gateway.botUserId, userId(u('mgomez'))].sort());
  });

  it('lets imported accounts log in, with Argon2id and with bcrypt hashes', async () => {
    await expect(login(u('jperez'), 'clave-de-jose')).resolves.toMatchObject({ user_id: userId(u('jperez')) });
    await expect(login(u('mgomez'), 'clave-de-maria')).resolves.toMatchObject({ user_id: userId(u('mgomez')) });
    // The bcrypt hash was replaced by Argon2id on that first login.
    const [row] = await as.running.db.query<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE username = $1', [u('mgomez')]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    await expect(login(u('admin'), 'anything')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  it('treats a re-import as a no-op', async () => {
    const report = (await importBatch(batch)).json();
    expect(report.accounts).toMatchObject({ created: [], updated: [], unchanged: 3 });
    expect(report.campaigns).toMatchObject({ created: [], renamed: [], unchanged: 2 });
    expect(report.memberships).toEqual({ added: 0, removed: 0 });
    expect(report.matrix).toEqual({ synced: 0, failed: 0 });
  });

  it('propagates a changed display name, campaign name and membership', async () => {
    const changed = structuredClone(batch);
    changed.accounts[0] = { ...changed.accounts[0], displayName: 'José A. Pérez', campaigns: [c('soporte')] };
    changed.campaigns[1] = { id: c('soporte'), name: 'Soporte' };
    const report = (await importBatch(changed)).json();
    expect(report.accounts.updated).toEqual([u('jperez')]);
    expect(report.campaigns.renamed).toEqual([c('soporte')]);
    expect(report.memberships).toEqual({ added: 1, removed: 1 });
    expect((await bot().getProfileInfo(userId(u('jperez')))).displayname).toBe('José A. Pérez');
    expect(await joined(c('ventas'))).not.toContain(userId(u('jperez')));
    expect(await joined(c('soporte'))).toContain(userId(u('jperez')));
    const name = await bot().getStateEvent(await spaceOf(c('soporte')), 'm.room.name', '');
    expect(name['name']).toBe('Soporte');
    batch = changed;
  });

  it('refuses an invalid batch, reporting every bad row, and changes nothing', async () => {
    const before = await as.running.db.query('SELECT * FROM accounts ORDER BY username');
    const response = await importBatch({
      campaigns: [{ id: 'Bad Id', name: 'x' }],
      accounts: [
        { username: u('nuevo'), displayName: 'Nuevo', campaigns: ['no-such-campaign'] },
        { username: u('jperez'), displayName: '' },
      ],
    });
    expect(response.statusCode).toBe(400);
    const paths = (response.json().problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['campaigns.0.id', 'accounts.1.displayName']));
    const second = await importBatch({
      accounts: [
        { username: u('nuevo'), displayName: 'Nuevo', campaigns: ['no-such-campaign'] },
        { username: u('nuevo'), displayName: 'Otro' },
        { username: u('otro'), displayName: 'Otro', passwordHash: 'md5:abc' },
      ],
    });
    expect(second.statusCode).toBe(400);
    expect((second.json().problems as { path: string }[]).map((p) => p.path)).toEqual([
      'accounts.0.campaigns.0',
      'accounts.1.username',
      'accounts.2.passwordHash',
    ]);
    expect(await as.running.db.query('SELECT * FROM accounts ORDER BY username')).toEqual(before);
  });

  it('reports a dry run without changing anything', async () => {
    const report = (await importBatch({ accounts: [{ username: u('seco'), displayName: 'En seco' }] }, '?dryRun=true')).json();
    expect(report).toMatchObject({ dryRun: true, accounts: { created: [u('seco')] } });
    expect(await as.running.db.query('SELECT 1 FROM accounts WHERE username = $1', [u('seco')])).toEqual([]);
  });

  it('refuses the provisioning API without the service token', async () => {
    const response = await as.running.app.server.inject({
      method: 'PUT',
      url: '/api/v1/provisioning/directory',
      headers: { authorization: 'Bearer agent-token' },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
  });

  it('deactivation ends every session and blocks login by every path; reactivation restores it', async () => {
    const { access_token: token } = await login(u('jperez'), 'clave-de-jose');
    const agent = createClient({ baseUrl: as.stack.homeserverUrl, accessToken: token, userId: userId(u('jperez')) });
    const session = await as.running.app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });
    expect(session.statusCode).toBe(200);
    const jwt = session.json().token as string;

    const deactivated = structuredClone(batch);
    deactivated.accounts[0] = { ...deactivated.accounts[0], active: false };
    expect((await importBatch(deactivated)).json().accounts.deactivated).toEqual([u('jperez')]);

    await expect(agent.whoami()).rejects.toHaveProperty('errcode');
    await expect(login(u('jperez'), 'clave-de-jose')).rejects.toHaveProperty('errcode');
    expect(await joined(c('soporte'))).not.toContain(userId(u('jperez')));
    const api = await as.running.app.server.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${jwt}` } });
    expect(api.statusCode).toBe(401);

    // `active` omitted means "unchanged"; reactivating takes an explicit true.
    expect((await importBatch(batch)).json().accounts).toMatchObject({ reactivated: [], unchanged: 3 });
    const reactivated = structuredClone(batch);
    reactivated.accounts[0] = { ...reactivated.accounts[0], active: true };
    expect((await importBatch(reactivated)).json().accounts.reactivated).toEqual([u('jperez')]);
    await expect(login(u('jperez'), 'clave-de-jose')).resolves.toMatchObject({ user_id: userId(u('jperez')) });
    expect(await joined(c('soporte'))).toContain(userId(u('jperez')));
  });
});
