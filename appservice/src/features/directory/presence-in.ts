import Type from 'typebox';
import Value from 'typebox/value';
import { Compile } from 'typebox/compile';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { EphemeralEvent, EphemeralEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { DirectoryRepository, PresenceUpdate } from './repository.ts';
import type { DirectoryService } from './service.ts';

/** An `m.presence` event as the homeserver pushes it to the appservice. */
const PresenceEventSchema = Type.Object({
  type: Type.Literal('m.presence'),
  sender: Type.String({ minLength: 1 }),
  content: Type.Object({
    presence: Type.String({ minLength: 1, maxLength: 100 }),
    status_msg: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
});

// Compiled once: Synapse pushes presence for every agent in transactions.
const presenceEventValidator = Compile(PresenceEventSchema);

/** The presence updates of Chattigo agents among `events`, in order (others are ignored). */
export function presenceUpdates(events: readonly EphemeralEvent[], usernameOf: (userId: string) => string | undefined): PresenceUpdate[] {
  const updates: PresenceUpdate[] = [];
  for (const event of events) {
    if (event.type !== 'm.presence' || !presenceEventValidator.Check(event)) continue;
    const username = usernameOf(event.sender);
    if (username === undefined) continue;
    updates.push({ username, presence: event.content.presence, statusMsg: event.content.status_msg ?? null });
  }
  return updates;
}

/**
 * Presence in: Synapse pushes the presence of the users of the appservice's namespace in
 * transactions (`receive_ephemeral`), which the processor hands to this handler.
 */
export function presenceHandler(gateway: MatrixGateway, service: DirectoryService): EphemeralEventHandler {
  return {
    name: 'directory-presence',
    async handle(events) {
      await service.presence(presenceUpdates(events, (userId) => gateway.usernameOf(userId)), 'transaction');
    },
  };
}

export interface PresencePollOptions {
  /** How often stored live presence is checked with the homeserver; 0 turns the check off. */
  intervalMs: number;
  /** Only presence received longer ago than this is checked. */
  minAgeMs: number;
  /** Users checked per round, at most. */
  batch: number;
}

export const defaultPresencePollOptions: PresencePollOptions = { intervalMs: 5 * 60_000, minAgeMs: 5 * 60_000, batch: 500 };

const PresenceStatusSchema = Type.Object({
  presence: Type.String({ minLength: 1, maxLength: 100 }),
  status_msg: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export interface PresencePollerDeps {
  gateway: MatrixGateway;
  /** Where the agents stored as live are read. */
  repository: Pick<DirectoryRepository, 'livePresenceOlderThan'>;
  /** Where the presence read is stored and published. */
  service: Pick<DirectoryService, 'presence'>;
  log: Logger;
  options: PresencePollOptions;
}

/**
 * The safety net for presence lost while the appservice was down (Synapse drops ephemeral events
 * it cannot deliver): agents stored as live whose presence has not been heard of for a while are
 * asked about (`GET /presence/{userId}/status`, as the agent themself), on start and periodically.
 */
export class PresencePoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly deps: PresencePollerDeps;

  constructor(deps: PresencePollerDeps) {
    this.deps = deps;
  }

  start(firstDelayMs: number): void {
    const { log, options } = this.deps;
    if (options.intervalMs <= 0) return;
    const schedule = (delay: number) => {
      this.timer = setTimeout(() => {
        this.running = this.poll()
          .then(() => undefined)
          .catch((err: unknown) => log.warn({ err }, 'checking stored presence with the homeserver failed'))
          .finally(() => {
            this.running = undefined;
            if (this.timer) schedule(options.intervalMs);
          });
      }, delay);
      this.timer.unref();
    };
    schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: re-reads the presence of agents stored as live since before `minAgeMs`. */
  async poll(): Promise<number> {
    const { gateway, repository, service, log, options } = this.deps;
    const usernames = await repository.livePresenceOlderThan(new Date(Date.now() - options.minAgeMs), options.batch);
    const updates: PresenceUpdate[] = [];
    for (const username of usernames) {
      const userId = gateway.userIdFor(username);
      try {
        const status: unknown = await gateway.intent(userId).getPresence(userId);
        if (Value.Check(PresenceStatusSchema, status)) {
          updates.push({ username, presence: status.presence, statusMsg: status.status_msg ?? null });
        }
      } catch (err) {
        log.debug({ err, username }, 'presence could not be read');
      }
    }
    await service.presence(updates, 'poll');
    return updates.length;
  }
}
