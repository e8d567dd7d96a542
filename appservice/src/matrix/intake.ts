import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../errors.ts';
import { message } from '../i18n/index.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import { requireToken } from './auth.ts';
import { readEphemeral } from './events.ts';
import type { JournalRepository } from './journal-repository.ts';
import type { RoomEventProcessor } from './processor.ts';

/** Synapse sends up to 100 events of up to 64 KiB each; a 413 would make it retry forever. */
export const TRANSACTION_BODY_LIMIT = 32 * 1024 * 1024;

export interface IntakeOptions {
  hsToken: string;
  journal: JournalRepository;
  processor: RoomEventProcessor;
  metrics: Metrics;
  /** Told of every transaction id (a lower one than before means Synapse restarted). */
  onTransaction?: (txnId: string) => void;
  /** Told of every transaction stored (see matrix/txn-gaps.ts). */
  onStored?: (txnId: string) => void;
  /** Told when a transaction could not be stored (it answers 500 and Synapse will retry). */
  onStoreFailed?: () => void;
  /** Test seam: runs after a transaction is committed and before it is acknowledged. */
  afterPersist?: (txnId: string, events: readonly unknown[]) => Promise<void> | void;
}

const TxnParams = Type.Object({ txnId: Type.String({ minLength: 1, maxLength: 255 }) });

const entriesOf = (body: unknown, key: string): unknown[] => {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
};

/**
 * The homeserver → appservice API. Synapse never skips a transaction it could not deliver, so
 * once the token is right and the body is JSON this endpoint stores and acknowledges whatever the
 * events contain: each event is kept as the text Synapse sent (one commit, before the 200), judged
 * leniently on its own (an unusable one goes to the dead-letter table) and processed per room in
 * order after the answer. Events are de-duplicated by event id; a transaction id seen before hides
 * nothing. Ephemeral events (presence, …) are not stored: they go to the ephemeral handlers.
 */
export const intakeRoutes: FastifyPluginAsyncTypebox<IntakeOptions> = async (app, options) => {
  const { hsToken, journal, processor, metrics } = options;

  // Matrix content may carry `__proto__` or `constructor.prototype` keys, which fastify's default
  // parser refuses (prototype-poisoning protection). JSON.parse makes them plain own properties;
  // nothing here merges event content into other objects.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: TRANSACTION_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError(400, 'M_NOT_JSON', message('http.notJson')), undefined);
    }
  });

  app.addHook('onRequest', async (request) => {
    requireToken(request, hsToken);
  });

  // Synapse sends a transaction for every event and presence change: its request lines at info
  // were most of the log and a measurable share of the CPU per message. Warnings and errors stay;
  // `countOutcome` logs each transaction at debug.
  for (const url of ['/_matrix/app/v1/transactions/:txnId', '/transactions/:txnId']) {
    app.put(url, { bodyLimit: TRANSACTION_BODY_LIMIT, schema: { params: TxnParams }, logLevel: 'warn' }, async (request) => {
      const { txnId } = request.params;
      options.onTransaction?.(txnId);
      const events = entriesOf(request.body, 'events');
      const outcome = await journal.record(txnId, events).catch((err: unknown) => {
        options.onStoreFailed?.();
        throw err;
      });
      options.onStored?.(txnId);
      countOutcome(metrics, outcome, request.log, txnId);
      await options.afterPersist?.(txnId, events);
      processor.schedule(roomsOf(events));
      // Synapse puts the same ephemeral events under the stable and the unstable key: use one.
      const ephemeral = entriesOf(request.body, 'ephemeral');
      processor.dispatchEphemeral(readEphemeral(ephemeral.length > 0 ? ephemeral : entriesOf(request.body, 'de.sorunome.msc2409.ephemeral')));
      return {};
    });
  }

  app.post('/_matrix/app/v1/ping', async () => ({}));

  // Users and aliases are created by the appservice itself, never on demand.
  for (const url of ['/_matrix/app/v1/users/:id', '/_matrix/app/v1/rooms/:id', '/users/:id', '/rooms/:id']) {
    app.get(url, async () => {
      throw new AppError(404, 'M_NOT_FOUND', message('http.notFound'));
    });
  }
};

function roomsOf(events: readonly unknown[]): string[] {
  return events.flatMap((e) => {
    const roomId = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)['room_id'] : undefined;
    return typeof roomId === 'string' ? [roomId] : [];
  });
}

function countOutcome(metrics: Metrics, outcome: Awaited<ReturnType<JournalRepository['record']>>, log: FastifyBaseLogger, txnId: string): void {
  metrics.transactionsReceived.inc({ outcome: outcome.stored > 0 || outcome.duplicates === 0 ? 'new' : 'redelivery' });
  metrics.journalEvents.inc({ outcome: 'stored' }, outcome.stored);
  metrics.journalEvents.inc({ outcome: 'duplicate' }, outcome.duplicates);
  metrics.journalEvents.inc({ outcome: 'dead_letter' }, outcome.deadLettered);
  if (outcome.deadLettered > 0) {
    log.warn({ txnId, deadLettered: outcome.deadLettered }, 'transaction entries set aside as dead letters (not usable room events)');
  } else {
    log.debug({ txnId, ...outcome }, 'transaction recorded');
  }
}
