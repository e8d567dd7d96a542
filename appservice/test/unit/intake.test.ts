import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/matrix/events.ts';
import { TRANSACTION_BODY_LIMIT } from '../../src/matrix/intake.ts';
import { buildEmbeddedApp, roomEvent, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';

const auth = { authorization: `Bearer ${testSecrets.hs_token}` };

describe('transaction endpoint', () => {
  let t: EmbeddedApp;
  const handled: RoomEvent[] = [];

  beforeEach(async () => {
    handled.length = 0;
    t = await buildEmbeddedApp({ handlers: [{ name: 'recorder', handle: async (e) => void handled.push(e) }] });
  });
  afterEach(async () => {
    await t.close();
  });

  const put = (txnId: string, body: unknown, headers: Record<string, string> = auth) =>
    t.app.server.inject({ method: 'PUT', url: `/_matrix/app/v1/transactions/${txnId}`, headers, payload: body as object });
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

  it('refuses a wrong hs_token with 403 and stores nothing', async () => {
    const response = await put('t1', { events: [roomEvent(1)] }, { authorization: 'Bearer wrong-token' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ errcode: 'M_FORBIDDEN' });
    expect(await count('appservice_transactions')).toBe(0);
    expect(await count('appservice_events')).toBe(0);
  });

  it('refuses a missing token with 401', async () => {
    const response = await put('t1', { events: [] }, {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });

  it('accepts the legacy access_token query parameter', async () => {
    const response = await t.app.server.inject({
      method: 'PUT',
      url: `/_matrix/app/v1/transactions/q1?access_token=${testSecrets.hs_token}`,
      payload: { events: [] },
    });
    expect(response.statusCode).toBe(200);
  });

  it('stores a transaction, answers 200 and processes its events in order', async () => {
    const response = await put('t1', { events: [roomEvent(1), roomEvent(2), roomEvent(3)] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
    await t.app.processor.idle();
    expect(handled.map((e) => e.event_id)).toEqual(['$event1', '$event2', '$event3']);
  });

  it('does not process a transaction id twice', async () => {
    await put('t1', { events: [roomEvent(1)] });
    await put('t1', { events: [roomEvent(1)] });
    await t.app.processor.idle();
    expect(handled).toHaveLength(1);
    expect(await count('appservice_transactions')).toBe(2);
  });

  it('processes new events under a transaction id seen before (Synapse restarted its ids)', async () => {
    await put('1', { events: [roomEvent(1)] });
    await t.app.processor.idle();
    // After a restart, Synapse on SQLite numbers its transactions from 1 again.
    const response = await put('1', { events: [roomEvent(2), roomEvent(3)] });
    expect(response.statusCode).toBe(200);
    await t.app.processor.idle();
    expect(handled.map((e) => e.event_id)).toEqual(['$event1', '$event2', '$event3']);
  });

  it.each([
    ['a __proto__ key', '{"msgtype":"m.text","body":"hola","__proto__":{"polluted":true}}'],
    ['a constructor.prototype key', '{"msgtype":"m.text","body":"hola","constructor":{"prototype":{"polluted":true}}}'],
    ['a NUL character', '{"msgtype":"m.text","body":"a\\u0000b"}'],
  ])('stores, acknowledges and processes a message whose content has %s, and the next one too', async (_what, content) => {
    const hostile = `{"event_id":"$hostile","room_id":"!room:chattigo.test","type":"m.room.message","sender":"@a:chattigo.test","origin_server_ts":1,"content":${content}}`;
    const response = await t.app.server.inject({
      method: 'PUT',
      url: '/_matrix/app/v1/transactions/h1',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `{"events":[${hostile}]}`,
    });
    expect(response.statusCode).toBe(200);
    expect((await put('h2', { events: [roomEvent(2)] })).statusCode).toBe(200);
    await t.app.processor.idle();
    expect(handled.map((e) => e.event_id)).toEqual(['$hostile', '$event2']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('does not process an event id twice across transactions', async () => {
    await put('t1', { events: [roomEvent(1)] });
    await put('t2', { events: [roomEvent(1), roomEvent(2)] });
    await t.app.processor.idle();
    expect(handled.map((e) => e.event_id)).toEqual(['$event1', '$event2']);
  });

  it('acknowledges an entry that is not a room event, sets it aside with the reason and processes the rest', async () => {
    const response = await put('t1', { events: [{ ...roomEvent(1), room_id: 42 }, roomEvent(2)] });
    expect(response.statusCode).toBe(200);
    await t.app.processor.idle();
    expect(handled.map((e) => e.event_id)).toEqual(['$event2']);
    const [letter] = await t.db.query<{ event_id: string; reason: string }>('SELECT event_id, reason FROM appservice_dead_letters');
    expect(letter).toMatchObject({ event_id: '$event1' });
    expect(letter?.reason).toContain('/room_id');
  });

  it('answers 400 only for a body that is not JSON', async () => {
    const response = await t.app.server.inject({
      method: 'PUT',
      url: '/_matrix/app/v1/transactions/bad',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"events": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  it('accepts a 20 MB transaction', async () => {
    const big = 'x'.repeat(60 * 1024);
    const events = Array.from({ length: 345 }, (_, i) => ({ ...roomEvent(i), content: { msgtype: 'm.text', body: big } }));
    const payload = JSON.stringify({ events });
    expect(payload.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(payload.length).toBeLessThan(TRANSACTION_BODY_LIMIT);
    const response = await t.app.server.inject({
      method: 'PUT',
      url: '/_matrix/app/v1/transactions/big',
      headers: { ...auth, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(await count('appservice_events')).toBe(345);
  });

  it('answers the homeserver ping', async () => {
    const response = await t.app.server.inject({ method: 'POST', url: '/_matrix/app/v1/ping', headers: auth, payload: { transaction_id: 'x' } });
    expect(response.statusCode).toBe(200);
  });

  it('processes events left pending by an earlier run on resume', async () => {
    await t.db.query(
      `INSERT INTO appservice_events (event_id, txn_id, room_id, event_type, event) VALUES ($1, 'old', $2, 'm.room.message', $3)`,
      ['$old', '!room:chattigo.test', JSON.stringify(roomEvent(9))],
    );
    await t.app.processor.resume();
    await t.app.processor.idle();
    expect(handled).toHaveLength(1);
  });
});

describe('health and metrics', () => {
  it('is live, not ready without a homeserver, and exposes prefixed metrics', async () => {
    const t = await buildEmbeddedApp();
    try {
      expect((await t.app.server.inject('/health/live')).statusCode).toBe(200);
      const ready = await t.app.server.inject('/health/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', synapse: 'failing' } });
      const metrics = await t.app.metricsServer.inject('/metrics');
      expect(metrics.body).toContain('chattigo_http_request_duration_seconds');
      expect(metrics.body).toContain('chattigo_appservice_transactions_total');
    } finally {
      await t.close();
    }
  });
});
