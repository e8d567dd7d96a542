import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Static } from 'typebox';
import type { EphemeralEventSchema, RoomEvent } from './events.ts';
import type { JournalRepository } from './journal.ts';

/** Something the appservice does with room events; handlers run in registration order. */
export interface RoomEventHandler {
  readonly name: string;
  handle(event: RoomEvent): Promise<void>;
}

export type EphemeralEvent = Static<typeof EphemeralEventSchema>;

/**
 * Something the appservice does with ephemeral events (presence, typing, receipts). They are not
 * journalled: each transaction's ephemeral events are handed over once, as one batch, after the
 * transaction was committed, transactions in arrival order; a failure is logged, not retried.
 */
export interface EphemeralEventHandler {
  readonly name: string;
  handle(events: readonly EphemeralEvent[]): Promise<void>;
}

export interface ProcessorOptions {
  maxAttempts?: number;
  retryDelayMs?: number;
  batchSize?: number;
}

/**
 * Processes journalled room events: one room at a time in arrival order, rooms in parallel. An
 * event whose handler fails is retried after a delay, holding back the events after it in that
 * room; after `maxAttempts` it is set aside with its error so the room does not stall.
 */
export class RoomEventProcessor {
  private readonly chains = new Map<string, Promise<void>>();
  private ephemeralChain: Promise<void> = Promise.resolve();
  private ephemeralPending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly batchSize: number;
  private stopped = false;
  private readonly journal: JournalRepository;
  private readonly handlers: readonly RoomEventHandler[];
  private readonly log: Logger;
  private readonly metrics: Metrics;
  private readonly ephemeralHandlers: readonly EphemeralEventHandler[];

  constructor(
    journal: JournalRepository,
    handlers: readonly RoomEventHandler[],
    log: Logger,
    metrics: Metrics,
    options: ProcessorOptions = {},
    ephemeralHandlers: readonly EphemeralEventHandler[] = [],
  ) {
    this.journal = journal;
    this.handlers = handlers;
    this.ephemeralHandlers = ephemeralHandlers;
    this.log = log;
    this.metrics = metrics;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** Queues a drain of each room's pending events behind any drain already queued for it. */
  schedule(roomIds: Iterable<string>): void {
    if (this.stopped) return;
    for (const roomId of new Set(roomIds)) {
      const previous = this.chains.get(roomId) ?? Promise.resolve();
      const next = previous
        .then(() => this.drain(roomId))
        .catch((err: unknown) => this.log.error({ err, roomId }, 'processing room events failed'));
      this.chains.set(roomId, next);
      void next.finally(() => {
        if (this.chains.get(roomId) === next) this.chains.delete(roomId);
      });
    }
  }

  /** Queues a transaction's ephemeral events for the ephemeral handlers, behind earlier ones. */
  dispatchEphemeral(events: readonly EphemeralEvent[]): void {
    if (this.stopped || events.length === 0 || this.ephemeralHandlers.length === 0) return;
    this.ephemeralPending++;
    this.ephemeralChain = this.ephemeralChain.then(async () => {
      for (const handler of this.ephemeralHandlers) {
        try {
          await handler.handle(events);
        } catch (err) {
          this.log.error({ err, handler: handler.name }, 'handling ephemeral events failed; they are dropped');
        }
      }
      this.ephemeralPending--;
    });
  }

  /** Picks up events left unprocessed by an earlier run (after a crash or a restart). */
  async resume(): Promise<void> {
    this.schedule(await this.journal.roomsWithPending());
  }

  /** Resolves when every queued drain has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0 || this.ephemeralPending > 0) {
      await Promise.all([...this.chains.values(), this.ephemeralChain]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }

  private async drain(roomId: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const entries = await this.journal.pending(roomId, this.batchSize);
      if (entries.length === 0) return;
      for (const entry of entries) {
        if (this.stopped) return;
        try {
          for (const handler of this.handlers) await handler.handle(entry.event);
          await this.journal.markProcessed(entry.seq);
          this.metrics.eventsProcessed.inc({ outcome: 'ok' });
        } catch (err) {
          const attempts = entry.attempts + 1;
          const final = attempts >= this.maxAttempts;
          await this.journal.markFailed(entry.seq, err instanceof Error ? err.message : String(err), final);
          this.metrics.eventsProcessed.inc({ outcome: 'failed' });
          this.log.error(
            { err, roomId, eventId: entry.event.event_id, attempts, final },
            final ? 'event set aside after repeated failures' : 'event processing failed; will retry',
          );
          if (!final) {
            this.retryLater(roomId, attempts);
            return;
          }
        }
      }
    }
  }

  private retryLater(roomId: string, attempts: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.schedule([roomId]);
    }, this.retryDelayMs * 2 ** (attempts - 1));
    timer.unref();
    this.timers.add(timer);
  }
}
