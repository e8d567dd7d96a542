import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import { requireToken } from './auth.ts';
import { TransactionBodySchema, type RoomEvent } from './events.ts';
import type { JournalRepository } from './journal.ts';
import type { RoomEventProcessor } from './processor.ts';

/** Synapse sends up to 100 events of up to 64 KiB each; a 413 would make it retry forever. */
export const TRANSACTION_BODY_LIMIT = 32 * 1024 * 1024;

export interface IntakeOptions {
  hsToken: string;
  journal: JournalRepository;
  processor: RoomEventProcessor;
  metrics: Metrics;
  /** Test seam: runs after a transaction is committed and before it is acknowledged. */
  afterPersist?: (txnId: string, events: readonly RoomEvent[]) => Promise<void> | void;
}

const TxnParams = Type.Object({ txnId: Type.String({ minLength: 1, maxLength: 255 }) });

/**
 * The homeserver → appservice API. A transaction is stored (id and events, one commit) before the
 * 200, so a crash after the acknowledgement loses nothing; a transaction id or event id seen before
 * is not stored or processed again; processing happens after the answer, per room in order.
 * Ephemeral events (presence, …) are not stored: they go to the ephemeral handlers once the
 * transaction is committed, also when it is a redelivery (it was not acknowledged before).
 */
export const intakeRoutes: FastifyPluginAsyncTypebox<IntakeOptions> = async (app, options) => {
  const { hsToken, journal, processor, metrics } = options;

  app.addHook('onRequest', async (request) => {
    requireToken(request, hsToken);
  });

  for (const url of ['/_matrix/app/v1/transactions/:txnId', '/transactions/:txnId']) {
    app.put(
      url,
      { bodyLimit: TRANSACTION_BODY_LIMIT, schema: { params: TxnParams, body: TransactionBodySchema } },
      async (request) => {
        const { txnId } = request.params;
        const outcome = await journal.record(txnId, request.body.events);
        metrics.transactionsReceived.inc({ outcome: outcome.duplicate ? 'duplicate' : 'new' });
        request.log.debug({ txnId, ...outcome }, 'transaction recorded');
        await options.afterPersist?.(txnId, request.body.events);
        processor.schedule(request.body.events.map((e) => e.room_id));
        // Synapse puts the same ephemeral events under the stable and the unstable key: use one.
        processor.dispatchEphemeral(request.body.ephemeral ?? request.body['de.sorunome.msc2409.ephemeral'] ?? []);
        return {};
      },
    );
  }

  app.post('/_matrix/app/v1/ping', { schema: { body: Type.Optional(Type.Object({}, { additionalProperties: true })) } }, async () => ({}));

  // Users and aliases are created by the appservice itself, never on demand.
  for (const url of ['/_matrix/app/v1/users/:id', '/_matrix/app/v1/rooms/:id', '/users/:id', '/rooms/:id']) {
    app.get(url, async () => {
      throw new AppError(404, 'M_NOT_FOUND', { es: 'No existe.', en: 'Not found.' });
    });
  }
};
