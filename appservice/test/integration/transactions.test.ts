import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/matrix/events.ts';
import { startTestAppservice, type TestAppservice } from '../helpers/appservice.ts';
import { waitFor } from '../helpers/wait.ts';

describe('transactions from a real Synapse', () => {
  const seen: RoomEvent[] = [];
  let failNextAfterPersist = false;
  const failedTxns: string[] = [];
  let as: TestAppservice;

  beforeAll(async () => {
    as = await startTestAppservice({
      handlers: [{ name: 'recorder', handle: async (event) => void seen.push(event) }],
      afterPersist: (txnId, events) => {
        if (failNextAfterPersist && events.some((e) => JSON.stringify(e).includes('mensaje reenviado'))) {
          failNextAfterPersist = false;
          failedTxns.push(txnId);
          throw new Error('simulated crash between commit and acknowledgement');
        }
      },
    });
  });
  afterAll(async () => {
    await as?.stop();
  });

  it('answers Synapse’s ping', async () => {
    const ms = await as.running.app.gateway.ping();
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('persists a delivered transaction and processes its events once', async () => {
    const bot = as.running.app.gateway.intent();
    const { room_id: roomId } = await bot.createRoom({ name: 'journal test' });
    const { event_id: eventId } = await bot.sendTextMessage(roomId, 'hola desde el bot');

    await waitFor(() => seen.some((e) => e.event_id === eventId), 'the message to be processed');
    // The handler has run; the journal marks the event processed right after it.
    await as.running.app.processor.idle();
    const rows = await as.running.db.query<{ txn_id: string; processed: boolean }>(
      'SELECT txn_id, processed_at IS NOT NULL AS processed FROM appservice_events WHERE event_id = $1',
      [eventId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.processed).toBe(true);
  });

  it('does not process a redelivered transaction twice', async () => {
    const bot = as.running.app.gateway.intent();
    const { room_id: roomId } = await bot.createRoom({ name: 'redelivery test' });
    await waitFor(() => seen.some((e) => e.room_id === roomId && e.type === 'm.room.create'), 'room creation events');
    // Let the room's earlier events drain first, or the drain could pick the message up before
    // Synapse redelivers it.
    await as.running.app.processor.idle();

    failNextAfterPersist = true;
    const { event_id: eventId } = await bot.sendTextMessage(roomId, 'mensaje reenviado');
    // Synapse sees the failure and retries the same transaction id after its back-off.
    await waitFor(() => seen.some((e) => e.event_id === eventId), 'the redelivered message to be processed', 30_000);
    await as.running.app.processor.idle();

    const [txn] = await as.running.db.query<{ txn_id: string; deliveries: number }>(
      `SELECT e.txn_id, (SELECT count(*)::int FROM appservice_transactions t WHERE t.txn_id = e.txn_id) AS deliveries
         FROM appservice_events e WHERE e.event_id = $1`,
      [eventId],
    );
    expect(failedTxns).toContain(txn?.txn_id);
    expect(txn?.deliveries).toBeGreaterThanOrEqual(2);
    expect(seen.filter((e) => e.event_id === eventId)).toHaveLength(1);
  });
});
