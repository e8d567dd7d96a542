import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEmbeddedApp, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';
import { report, seedAccounts, sessionToken } from '../helpers/directory.ts';

const platform = { authorization: `Bearer ${testSecrets.provisioning_token}` };

describe('directory: agents at their capacity ("Al límite")', () => {
  let t: EmbeddedApp;
  let viewer: { authorization: string };

  beforeAll(async () => {
    t = await buildEmbeddedApp({ directory: { publishToMatrix: false } });
    await seedAccounts(t.db, [
      { username: 'viewer', displayName: 'Viewer' },
      { username: 'ana', displayName: 'Ana' },
      { username: 'beto', displayName: 'Beto' },
      { username: 'carla', displayName: 'Carla' },
      { username: 'dario', displayName: 'Darío' },
    ]);
    viewer = { authorization: `Bearer ${sessionToken(t.app, 'viewer')}` };
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.db.query('DELETE FROM agent_workload');
  });

  const feed = (reports: unknown[]) =>
    t.app.server.inject({ method: 'PUT', url: '/api/v1/platform/workload', headers: platform, payload: { reports } });
  const list = async () => {
    const response = await t.app.server.inject({ method: 'GET', url: '/api/v1/directory', headers: viewer });
    expect(response.statusCode).toBe(200);
    return (response.json() as { agents: { username: string; active: boolean; chatsInAttention: number; capacity: number | null; atLimit: boolean }[] })
      .agents;
  };

  it('marks agents whose chats in attention reached their capacity and lists them after the available ones', async () => {
    const at = '2024-05-01T00:00:00Z';
    const response = await feed([
      { ...report('ana', 5, at), capacity: 5 }, // at limit
      { ...report('beto', 2, at), capacity: 5 }, // available
      { ...report('carla', 7, at, 'offline'), capacity: 3 }, // inactive (also over capacity)
      report('dario', 40, at), // no capacity reported: never at limit
    ]);
    expect(response.statusCode).toBe(200);
    const agents = await list();
    expect(agents.map((a) => [a.username, a.active, a.atLimit, a.capacity])).toEqual([
      ['beto', true, false, 5],
      ['dario', true, false, null],
      ['ana', true, true, 5],
      ['carla', false, true, 3],
    ]);
  });

  it('a later report below the capacity, or without one, clears the mark', async () => {
    await feed([{ ...report('ana', 6, '2024-05-01T00:00:00Z'), capacity: 5 }]);
    expect((await list()).find((a) => a.username === 'ana')).toMatchObject({ atLimit: true, chatsInAttention: 6 });
    await feed([{ ...report('ana', 4, '2024-05-01T00:01:00Z'), capacity: 5 }]);
    expect((await list()).find((a) => a.username === 'ana')).toMatchObject({ atLimit: false, chatsInAttention: 4 });
    // At limit comes before the inactive agents (everyone else here has no report: inactive).
    await feed([{ ...report('ana', 9, '2024-05-01T00:02:00Z'), capacity: 9 }]);
    expect((await list()).map((a) => [a.username, a.atLimit])).toEqual([
      ['ana', true],
      ['beto', false],
      ['carla', false],
      ['dario', false],
    ]);
    await feed([report('ana', 9, '2024-05-01T00:03:00Z')]);
    expect((await list()).find((a) => a.username === 'ana')).toMatchObject({ atLimit: false, capacity: null });
  });

  it('refuses a capacity that is not a whole number from 1 to 1000, naming the field', async () => {
    const at = '2024-05-01T00:00:00Z';
    const response = await feed([
      { ...report('ana', 1, at), capacity: 0 },
      { ...report('beto', 1, at), capacity: 2.5 },
      { ...report('carla', 1, at), capacity: '5' },
    ]);
    expect(response.statusCode).toBe(400);
    const paths = (response.json() as { problems: { path: string }[] }).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['reports.0.capacity', 'reports.1.capacity', 'reports.2.capacity']));
  });
});
