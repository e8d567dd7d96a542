import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { EphemeralEvent, RoomEvent } from './events.ts';
import type { JournalRepository } from './journal-repository.ts';
import { isTransient } from './transient.ts';

export type { EphemeralEvent } from './events.ts';

/**
 * Something the appservice does with room events; handlers run in registration order.
 *
 * Delivery is at least once: after a failure (of this handler or a later one), a crash or a
 * restart, the processor calls `handle` again with the same event. Every handler must therefore be
 * idempotent — what it sends to Matrix carries a transaction id derived from the event (or goes
 * through the recorded notices of matrix/notices.ts), and what it records is recorded once. A
 * handler throws to be retried; an outage (see matrix/transient.ts) is waited out, any other error
 * is retried a few times and then the event is set aside as a dead letter.
 */
export interface RoomEventHandler {
  readonly name: string;
  handle(event: RoomEvent, context?: EventContext): Promise<void>;
}

/**
 * What the handlers of one event share while it is processed: a lookup several of them need (the
 * chat of the room, say) is made once per event instead of once per handler. A fresh context is
 * made for every attempt, so nothing outlives the event or is carried into a retry.
 */
export interface EventContext {
  /** The result of `load()` for `key`, loaded at the first call for this event. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createEventContext(): EventContext {
  const loaded = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = loaded.get(key) as Promise<T> | undefined;
      if (!value) {
        value = load();
        loaded.set(key, value);
      }
      return value;
    },
  };
}

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
  /** Failures that are the event's own fault before it is set aside. */
  maxAttempts?: number;
  /** First retry delay; it doubles with each failure of the room, up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long an event is retried through an outage before it is set aside. */
  giveUpAfterMs?: number;
  batchSize?: number;
  /** How often rooms with waiting events are looked for (none is ever left stranded). */
  sweepIntervalMs?: number;
}

export interface ProcessorDeps {
  journal: JournalRepository;
  handlers: readonly RoomEventHandler[];
  ephemeralHandlers?: readonly EphemeralEventHandler[];
  log: Logger;
  metrics: Metrics;
  options?: ProcessorOptions;
  /** A follower's rooms to drain, handed to the leader (PostgreSQL NOTIFY). */
  handOver?: (roomIds: readonly string[]) => void;
}

/**
 * Processes journalled room events: one room at a time in arrival order, rooms in parallel. A
 * failing event holds back the events after it in its room and is retried with backoff; outages
 * are waited out (up to `giveUpAfterMs`), other failures set the event aside after `maxAttempts`.
 * A sweep picks up any room with waiting events that nothing is working on — after a failure of
 * the journal itself, for instance — and keeps the backlog metrics current.
 */
export class RoomEventProcessor {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Consecutive failed drains per room: the backoff exponent. */
  private readonly failures = new Map<string, number>();
  private ephemeralChain: Promise<void> = Promise.resolve();
  private ephemeralPending = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Whether this process consumes the journal (see db/leadership.ts); a follower only stores. */
  private active = true;
  private readonly d: ProcessorDeps;
  private readonly o: Required<ProcessorOptions>;

  constructor(deps: ProcessorDeps) {
    this.d = deps;
    this.o = {
      maxAttempts: 5,
      retryDelayMs: 1000,
      maxRetryDelayMs: 10_000,
      giveUpAfterMs: 6 * 60 * 60 * 1000,
      batchSize: 100,
      sweepIntervalMs: 10_000,
      ...deps.options,
    };
  }

  /** Queues a drain of each room's pending events behind any drain already queued for it. */
  schedule(roomIds: Iterable<string>): void {
    if (this.stopped) return;
    if (!this.active) {
      const rooms = [...new Set(roomIds)];
      if (rooms.length > 0) this.d.handOver?.(rooms);
      return;
    }
    for (const roomId of new Set(roomIds)) {
      // A room waiting out a backoff is drained when its timer fires, not earlier.
      if (this.retries.has(roomId)) continue;
      const previous = this.chains.get(roomId) ?? Promise.resolve();
      const next = previous.then(() => this.drain(roomId));
      this.chains.set(roomId, next);
      void next.finally(() => {
        if (this.chains.get(roomId) === next) this.chains.delete(roomId);
      });
    }
  }

  /** Queues a transaction's ephemeral events for the ephemeral handlers, behind earlier ones. */
  dispatchEphemeral(events: readonly EphemeralEvent[]): void {
    const handlers = this.d.ephemeralHandlers ?? [];
    if (this.stopped || events.length === 0 || handlers.length === 0) return;
    this.ephemeralPending++;
    this.ephemeralChain = this.ephemeralChain.then(async () => {
      for (const handler of handlers) {
        try {
          await handler.handle(events);
        } catch (err) {
          this.d.log.error({ err, handler: handler.name }, 'handling ephemeral events failed; they are dropped');
        }
      }
      this.ephemeralPending--;
    });
  }

  /** Consumes the journal: picks up events left unprocessed (by an earlier run, a dead leader), starts the sweep. */
  async resume(): Promise<void> {
    this.active = true;
    await this.sweep();
    this.sweeper ??= setInterval(() => void this.sweep(), this.o.sweepIntervalMs);
    this.sweeper.unref();
  }

  /** Schedules every room with waiting events that is not being worked on; updates the backlog metrics. */
  async sweep(): Promise<void> {
    if (this.stopped || !this.active) return;
    try {
      const rooms = await this.d.journal.roomsWithPending();
      this.schedule(rooms.filter((r) => !this.chains.has(r)));
      const backlog = await this.d.journal.backlog();
      this.d.metrics.journalBacklogEvents.set(backlog.events);
      this.d.metrics.journalBacklogAge.set(backlog.oldestSeconds);
    } catch (err) {
      this.d.log.warn({ err }, 'could not look for waiting events; trying again at the next sweep');
    }
  }

  /** Resolves when every queued drain has finished (rooms waiting out a backoff are not waited for). */
  async idle(): Promise<void> {
    while (this.chains.size > 0 || this.ephemeralPending > 0) {
      await Promise.all([...this.chains.values(), this.ephemeralChain]);
    }
  }

  /** Stops consuming the journal (another process leads); drains under way finish. */
  async standby(): Promise<void> {
    this.active = false;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    await this.idle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    await this.idle();
  }

  /**
   * Processes a room's pending events in batches. The events of a batch that went through are
   * marked processed together, in one statement, when the batch ends or the room stops (a failure
   * to retry later, a stop): a crash in between hands them to the handlers again, which delivery at
   * least once already allows.
   */
  private async drain(roomId: string): Promise<void> {
    const done: string[] = [];
    const flush = async () => {
      if (done.length === 0) return;
      const seqs = done.splice(0);
      await this.d.journal.markProcessed(seqs);
      this.d.metrics.eventsProcessed.inc({ outcome: 'ok' }, seqs.length);
    };
    try {
      for (;;) {
        if (this.stopped || !this.active) return await flush();
        const entries = await this.d.journal.pending(roomId, this.o.batchSize);
        for (const entry of entries) {
          if (this.stopped) return await flush();
          const outcome = await this.process(roomId, entry);
          if (outcome === 'processed') done.push(entry.seq);
          if (outcome === 'retry') return await flush();
        }
        await flush();
        // A short batch was all there was: an event stored since then has scheduled a drain of its own.
        if (entries.length < this.o.batchSize) break;
      }
      this.failures.delete(roomId);
    } catch (err) {
      // The journal itself failed (the database is away): try the room again later.
      this.d.log.warn({ err, roomId }, 'could not read or update the journal; the room will be retried');
      this.retryLater(roomId);
    }
  }

  /**
   * Runs the handlers on one event: 'processed' (to be marked), 'set-aside' (a dead letter now,
   * the room goes on) or 'retry' (the room stops here and is retried later).
   */
  private async process(roomId: string, entry: Awaited<ReturnType<JournalRepository['pending']>>[number]): Promise<'processed' | 'set-aside' | 'retry'> {
    const { journal, handlers, log, metrics } = this.d;
    try {
      const context = createEventContext();
      for (const handler of handlers) await handler.handle(entry.event, context);
    } catch (err) {
      const transient = isTransient(err);
      const attempts = entry.attempts + (transient ? 0 : 1);
      const failingFor = entry.firstFailedAt ? Date.now() - entry.firstFailedAt.getTime() : 0;
      const final = transient ? failingFor >= this.o.giveUpAfterMs : attempts >= this.o.maxAttempts;
      await journal.markFailed(entry.seq, { error: err instanceof Error ? err.message : String(err), counted: !transient, final });
      metrics.eventsProcessed.inc({ outcome: final ? 'dead_letter' : 'retry' });
      const fields = { err, roomId, eventId: entry.event.event_id, type: entry.event.type, attempts, transient };
      if (final) {
        log.error(fields, 'event set aside as a dead letter after repeated failures');
        return 'set-aside';
      }
      if (transient) log.warn(fields, 'event processing waits for the homeserver or the database');
      else log.error(fields, 'event processing failed; will retry');
      this.retryLater(roomId);
      return 'retry';
    }
    return 'processed';
  }

  private retryLater(roomId: string): void {
    if (this.stopped || !this.active || this.retries.has(roomId)) return;
    const n = this.failures.get(roomId) ?? 0;
    this.failures.set(roomId, n + 1);
    const delay = Math.min(this.o.retryDelayMs * 2 ** n, this.o.maxRetryDelayMs);
    const timer = setTimeout(() => {
      this.retries.delete(roomId);
      this.schedule([roomId]);
    }, delay);
    timer.unref();
    this.retries.set(roomId, timer);
  }
}
