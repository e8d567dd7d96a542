import { createClient, Method, type MatrixClient } from 'matrix-js-sdk';
import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOAD_EVENT_TYPE, WorkloadContentSchema } from '@chattigo/contracts/event-types';
import { loadSecrets } from '../../src/config/secrets.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { report, seedAccounts, seedCampaigns, sessionToken } from '../helpers/directory.ts';
import { waitFor } from '../helpers/wait.ts';

/** The agent picker against a real Synapse: presence in and out, and campaign space state. */
describe('directory with a real Synapse', () => {
  let as: TestAppservice;
  const run = Date.now().toString(36);
  // Synapse lets a user change presence once per 10 s (rc_presence, for /sync and for PUT
  // separately), so each scenario has its own agent; beto watches them all.
  const ana = `ana${run}`;
  const beto = `beto${run}`;
  const carla = `carla${run}`;
  const dora = `dora${run}`;
  const eva = `eva${run}`;
  const clients = new Map<string, MatrixClient>();
  const tokens = new Map<string, string>();
  let platformToken: string;

  beforeAll(async () => {
    as = await startTestAppservice({
      directory: { spaceState: { gatherMs: 1000 }, presencePoll: { intervalMs: 0 } },
    });
    const { db, app } = as.running;
    platformToken = (await loadSecrets(as.stack.secretsDir)).provisioning_token;
    await seedAccounts(db, [
      { username: ana, displayName: 'Ana Gómez' },
      { username: beto, displayName: 'Beto Díaz' },
      { username: carla, displayName: 'Carla Ruiz' },
      { username: dora, displayName: 'Dora Sáenz' },
      { username: eva, displayName: 'Eva Muñoz' },
    ]);
    for (const username of [ana, beto, carla, dora, eva]) {
      const { userId, accessToken } = await app.gateway.registerUser(`${as.config.matrix.userPrefix}${username}`, { login: true });
      if (!accessToken) throw new Error(`no access token for ${userId}`);
      expect(userId).toBe(app.gateway.userIdFor(username));
      tokens.set(username, accessToken);
      clients.set(username, createClient({ baseUrl: as.stack.homeserverUrl, accessToken, userId }));
    }
    // Presence is visible only to users who share a room. The bot creates it: agents may not
    // create group rooms (Synapse's chattigo_policy module).
    const { room_id: roomId } = await app.gateway.intent().createRoom({ invite: [ana, beto, dora, eva].map((u) => app.gateway.userIdFor(u)) });
    for (const username of [ana, beto, dora, eva]) await client(username).joinRoom(roomId);
  });
  afterAll(async () => {
    await as?.stop();
  });

  function client(username: string): MatrixClient {
    const c = clients.get(username);
    if (!c) throw new Error(`no client for ${username}`);
    return c;
  }

  /** One /sync as the agent's client does it: it marks the agent online (or idle). */
  async function syncOnce(username: string, presence: 'online' | 'unavailable' = 'online'): Promise<void> {
    const response = await fetch(new URL(`/_matrix/client/v3/sync?timeout=0&set_presence=${presence}`, as.stack.homeserverUrl), {
      headers: { authorization: `Bearer ${tokens.get(username)}` },
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
  }

  async function listed(username: string, viewer: string) {
    const response = await as.running.app.server.inject({
      method: 'GET',
      url: `/api/v1/directory?q=${username}`,
      headers: { authorization: `Bearer ${sessionToken(as.running.app, viewer)}` },
    });
    expect(response.statusCode).toBe(200);
    return response.json().agents.find((a: { username: string }) => a.username === username);
  }

  const feed = (reports: unknown[]) =>
    as.running.app.server.inject({
      method: 'PUT',
      url: '/api/v1/platform/workload',
      headers: { authorization: `Bearer ${platformToken}` },
      payload: { reports },
    });

  it('makes an agent active from the presence of their own client, and inactive when it goes offline', async () => {
    expect((await listed(ana, beto)).active).toBe(false);
    await syncOnce(ana);
    await waitFor(async () => (await listed(ana, beto)).active === true, 'ana to become active from her sync');
    await client(ana).setPresence({ presence: 'offline' });
    await waitFor(async () => (await listed(ana, beto)).active === false, 'ana to become inactive');
  });

  it('counts an idle client (unavailable) as a live session', async () => {
    await syncOnce(carla, 'unavailable');
    await waitFor(async () => (await listed(carla, beto)).active === true, 'carla to be active while idle');
  });

  it('shows the count as a presence status message without making an offline agent look online', async () => {
    expect((await feed([report(ana, 3, new Date().toISOString(), 'away')])).statusCode).toBe(200);
    const anaId = as.running.app.gateway.userIdFor(ana);
    await waitFor(async () => (await client(beto).getPresence(anaId)).status_msg === '3 chats en atención', 'the status message');
    expect((await client(beto).getPresence(anaId)).presence).toBe('offline');
    expect((await listed(ana, beto)).active).toBe(false);
  });

  it('says "Al límite" in the status message of an agent whose chats reached their capacity, and stops when below', async () => {
    const anaId = as.running.app.gateway.userIdFor(ana);
    const start = Date.now();
    expect((await feed([{ ...report(ana, 5, new Date(start).toISOString(), 'away'), capacity: 5 }])).statusCode).toBe(200);
    await waitFor(async () => (await client(beto).getPresence(anaId)).status_msg === 'Al límite · 5 chats en atención', 'the at-limit message');
    expect(await listed(ana, beto)).toMatchObject({ atLimit: true, capacity: 5, chatsInAttention: 5 });
    expect((await feed([{ ...report(ana, 4, new Date(start + 1).toISOString(), 'away'), capacity: 5 }])).statusCode).toBe(200);
    await waitFor(async () => (await client(beto).getPresence(anaId)).status_msg === '4 chats en atención', 'the plain count again');
    expect((await listed(ana, beto)).atLimit).toBe(false);
  });

  it('keeps an online agent online when the count changes, and puts the message back when a client clears it', async () => {
    await syncOnce(dora);
    await waitFor(async () => (await listed(dora, beto)).active === true, 'dora to be active');
    await feed([report(dora, 4, new Date().toISOString(), 'away')]);
    const doraId = as.running.app.gateway.userIdFor(dora);
    await waitFor(async () => (await client(beto).getPresence(doraId)).status_msg === '4 chats en atención', 'the count');
    expect((await client(beto).getPresence(doraId)).presence).toBe('online');

    // A client that sets presence without a status message clears it (Element does when idle).
    await as.running.app.directory.idle();
    const writes = async () =>
      (await as.running.app.metrics.matrixPublishes.get()).values.find((v) => v.labels['target'] === 'presence' && v.labels['outcome'] === 'ok')
        ?.value ?? 0;
    const before = await writes();
    await client(dora).setPresence({ presence: 'online' });
    await waitFor(async () => (await writes()) > before, 'the appservice to write the status message again');
    const restored = await client(beto).getPresence(doraId);
    expect(restored).toMatchObject({ presence: 'online', status_msg: '4 chats en atención' });
    await as.running.app.directory.idle();
  });

  it('writes the workload as state in the campaign spaces, coalescing a burst', async () => {
    const { app, db } = as.running;
    const bot = app.gateway.intent();
    const { room_id: spaceId } = await bot.createRoom({ name: 'Ventas', creation_content: { type: 'm.space' } });
    await seedCampaigns(db, [
      { id: `ventas${run}`, name: 'Ventas', spaceRoomId: spaceId },
      { id: `sinespacio${run}`, name: 'Sin espacio' },
    ]);
    await db.query('INSERT INTO memberships (username, campaign_id) VALUES ($1, $2), ($1, $3)', [beto, `ventas${run}`, `sinespacio${run}`]);
    const writes = async () =>
      (await app.metrics.matrixPublishes.get()).values.find((v) => v.labels['target'] === 'space_state' && v.labels['outcome'] === 'ok')?.value ?? 0;
    const before = await writes();

    const start = Date.parse('2024-06-01T12:00:00Z');
    const burst = Array.from({ length: 15 }, (_, i) => feed([report(beto, i + 1, new Date(start + i * 1000).toISOString())]));
    expect((await Promise.all(burst)).map((r) => r.statusCode)).toEqual(Array(15).fill(200));
    await app.directory.idle();

    const content = await bot.http.authedRequest<unknown>(
      Method.Get,
      `/rooms/${encodeURIComponent(spaceId)}/state/${WORKLOAD_EVENT_TYPE}/${beto}`,
    );
    expect(Value.Check(WorkloadContentSchema, content)).toBe(true);
    expect(content).toEqual({ username: beto, active: true, chatsInAttention: 15, at: new Date(start + 14_000).toISOString() });
    expect((await writes()) - before).toBeLessThanOrEqual(2);
  });

  it('re-reads stored live presence from the homeserver (presence lost while the appservice was down)', async () => {
    const { app, db } = as.running;
    expect((await listed(ana, beto)).active).toBe(false);
    await feed([report(ana, 4, new Date().toISOString(), 'offline')]);
    // As if the offline update had been lost: the store still says online, since an hour ago.
    await db.query(`UPDATE agent_workload SET presence = 'online', presence_at = now() - interval '1 hour' WHERE username = $1`, [ana]);
    expect((await listed(ana, beto)).active).toBe(true);
    // A read that fails (a loaded homeserver) is skipped by a round and done again by the next one.
    await waitFor(async () => (await app.directory.poller.poll()) >= 1, 'a poll round to read ana’s presence');
    expect((await listed(ana, beto)).active).toBe(false);
  });

  it(
    'keeps the status message when Synapse times the session out, and the agent becomes inactive',
    async () => {
      await syncOnce(eva);
      await waitFor(async () => (await listed(eva, beto)).active === true, 'eva to be active');
      await feed([report(eva, 2, new Date().toISOString(), 'offline')]);
      const evaId = as.running.app.gateway.userIdFor(eva);
      await waitFor(async () => (await client(beto).getPresence(evaId)).status_msg === '2 chats en atención', 'the count');
      // No more syncs: Synapse marks eva offline about 30 s after the last one.
      await waitFor(async () => (await client(beto).getPresence(evaId)).presence === 'offline', 'the sync time-out', 60_000);
      expect((await client(beto).getPresence(evaId)).status_msg).toBe('2 chats en atención');
      await waitFor(async () => (await listed(eva, beto)).active === false, 'eva to become inactive');
    },
    90_000,
  );
});
