import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_AUDIENCE } from '../../src/features/session/auth.ts';
import type { Role } from '@chattigo/contracts/roles';
import { buildEmbeddedApp, type EmbeddedApp } from '../helpers/embedded-app.ts';

describe('typification API', () => {
  let env: EmbeddedApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    env = await buildEmbeddedApp();
    const { db, app } = env;
    await db.query(`INSERT INTO campaigns (id, name) VALUES ('ventas', 'Ventas'), ('soporte', 'Soporte')`);
    const people: [string, Role][] = [
      ['ana', 'admin'],
      ['beto', 'agent'],
      ['carla', 'agent'],
    ];
    for (const [username, role] of people) {
      await db.query(`INSERT INTO accounts (username, display_name, role) VALUES ($1, $1, $2)`, [username, role]);
      tokens[username] = await app.server.jwt.sign({ sub: username, uid: `@chattigo_${username}:x`, role }, { expiresIn: 300, aud: API_AUDIENCE });
    }
    await db.query(`INSERT INTO memberships (username, campaign_id) VALUES ('beto', 'ventas')`);
    const actor = { name: 'ana', via: 'api' as const };
    await app.typifications.add(actor, { catalog: null, code: 'NO_CONTESTA', label: 'No contesta' });
    await app.typifications.add(actor, { catalog: 'ventas', code: 'VENTA', label: 'Venta', description: 'Compró' });
    await app.typifications.add(actor, { catalog: 'ventas', code: 'NO_CONTESTA', label: 'Cliente no contesta' });
    await app.typifications.setActive(actor, { catalog: 'ventas', code: 'VENTA', active: false });
  });
  afterAll(async () => {
    await env.close();
  });

  const get = (url: string, who?: string) =>
    env.app.server.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });

  it('gives an agent the effective catalog of a campaign they belong to', async () => {
    const response = await get('/api/v1/typifications?campaign=ventas', 'beto');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      campaign: 'ventas',
      typifications: [{ code: 'NO_CONTESTA', label: 'Cliente no contesta', description: null }],
    });
  });

  it('gives the global catalog without a campaign, or with "global"', async () => {
    for (const url of ['/api/v1/typifications', '/api/v1/typifications?campaign=global']) {
      expect((await get(url, 'carla')).json()).toEqual({ campaign: null, typifications: [{ code: 'NO_CONTESTA', label: 'No contesta', description: null }] });
    }
  });

  it('refuses without a session, outside the agent’s campaigns, and for unknown or malformed campaigns', async () => {
    expect((await get('/api/v1/typifications?campaign=ventas')).statusCode).toBe(401);
    expect((await get('/api/v1/typifications?campaign=ventas', 'carla')).json()).toMatchObject({ errcode: 'M_FORBIDDEN' });
    expect((await get('/api/v1/typifications?campaign=soporte', 'ana')).statusCode).toBe(200);
    expect((await get('/api/v1/typifications?campaign=nadie', 'ana')).statusCode).toBe(404);
    expect((await get('/api/v1/typifications?campaign=No%20v%C3%A1lida', 'ana')).statusCode).toBe(400);
  });

  it('shows the audit to admins only, newest first, with paging', async () => {
    expect((await get('/api/v1/typifications/audit', 'beto')).statusCode).toBe(403);
    expect((await get('/api/v1/typifications/audit')).statusCode).toBe(401);
    const all = (await get('/api/v1/typifications/audit', 'ana')).json();
    expect(all.entries.map((e: { action: string; code: string }) => `${e.action} ${e.code}`)).toEqual([
      'deactivate VENTA',
      'create NO_CONTESTA',
      'create VENTA',
      'create NO_CONTESTA',
    ]);
    expect(all.entries[0]).toMatchObject({
      actor: 'ana',
      via: 'api',
      campaign: 'ventas',
      before: { code: 'VENTA', label: 'Venta', description: 'Compró', active: true },
      after: { active: false },
      source: null,
    });
    const page = (await get(`/api/v1/typifications/audit?limit=2&before=${all.entries[1].id}`, 'ana')).json();
    expect(page.entries.map((e: { id: string }) => e.id)).toEqual([all.entries[2].id, all.entries[3].id]);
    expect((await get('/api/v1/typifications/audit?limit=0', 'ana')).statusCode).toBe(400);
  });
});
