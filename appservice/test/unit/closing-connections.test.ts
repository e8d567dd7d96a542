import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEmbeddedApp, roomEvent, testSecrets, type EmbeddedApp } from '../helpers/embedded-app.ts';

/**
 * A stop that begins while Synapse's transaction is in flight: the transaction is still answered
 * (stored, 200), and its keep-alive connection is ended with it, so that closing does not wait
 * for the keep-alive timeout (72 s) of a connection nobody will use again.
 */
describe('closing with a transaction in flight', () => {
  let t: EmbeddedApp | undefined;
  afterAll(async () => {
    await t?.db.close();
  });

  it('answers the transaction and ends its connection', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    t = await buildEmbeddedApp({
      afterPersist: async () => {
        arrived();
        await held;
      },
    });
    const { app } = t;
    const url = new URL(await app.server.listen({ host: '127.0.0.1', port: 0 }));
    const body = JSON.stringify({ events: [roomEvent(1)] });
    const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: '/_matrix/app/v1/transactions/1',
          agent: new Agent({ keepAlive: true }),
          headers: { authorization: `Bearer ${testSecrets.hs_token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    await inFlight;
    const closed = app.server.close();
    // Once the listening socket is closed, the stop has begun (its preClose hooks have run).
    while (app.server.server.listening) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect(await answer).toEqual({ status: 200, connection: 'close' });
    await closed;
    expect(await t.db.query('SELECT event_id FROM appservice_events')).toEqual([{ event_id: '$event1' }]);
  });
});
