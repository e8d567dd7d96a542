import type { FastifyPluginAsync } from 'fastify';
import type { Command } from '../commands/command.ts';
import type { EphemeralEventHandler, RoomEventHandler } from '../matrix/processor.ts';

/**
 * What a feature contributes to the appservice. Each folder of features/ exports
 * `create<Feature>(deps)` from its index.ts, returning this (and the services other features or
 * `server.ts` use); `buildApp` (app.ts) only composes the list: it registers the plugins in list
 * order, gives the room and ephemeral handlers to the processor in list order, builds the bot's
 * command table from the commands, starts the features when the server is ready and stops them
 * when it closes (docs/decisions/0013-feature-contract.md).
 */
/**
 * Background work of a feature that one process does for all (server.ts runs it): every `everyMs`
 * on the leader, and, where asked, once Synapse answers at start-up (on every process, before the
 * first period) and whenever this process becomes the leader. `run` must be safe to repeat and to
 * overlap with the same work of another process (the features' own locks see to it).
 */
export interface BackgroundTask {
  /** For logs, and for tests that shorten its period (`StartOptions.intervalsMs`). */
  readonly name: string;
  /** Its period on the leader; none: only at start-up and on leadership. */
  readonly everyMs?: number;
  readonly atStartup?: boolean;
  readonly onLeadership?: boolean;
  run(): Promise<unknown>;
  /**
   * Resolves when no run is under way, however it was started (the account sync also runs after
   * each import). Waited for before the HTTP server closes: a run may be talking to Synapse, which
   * talks back to the appservice about it.
   */
  idle?(): Promise<void>;
}

export interface Feature {
  readonly name: string;
  /**
   * Its routes and hooks. Encapsulated unless wrapped with fastify-plugin (the session feature's
   * is, so that `app.authenticate` is there for the features after it).
   */
  readonly plugin?: FastifyPluginAsync;
  /** Run on every room event, in the processor's order (matrix/processor.ts). */
  readonly roomHandlers?: readonly RoomEventHandler[];
  /** Run on presence, typing and receipts. */
  readonly ephemeralHandlers?: readonly EphemeralEventHandler[];
  /** Bot commands (commands/): one table for every feature's. */
  readonly commands?: readonly Command[];
  /** Work the leader does periodically (and at start-up): see BackgroundTask. */
  readonly tasks?: readonly BackgroundTask[];
  /** Starts background work, once the server is ready. */
  start?(): Promise<void> | void;
  /** Stops it, when the server closes (after event processing has stopped). */
  stop?(): Promise<void> | void;
}
