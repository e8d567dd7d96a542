import type { Database } from '../../db/database.ts';
import { createAccountRepository } from '../accounts/index.ts';
import type { Feature } from '../feature.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { defaultLiveOptions, DirectoryLive, type LiveOptions } from './live.ts';
import { LiveRelay } from './live-relay.ts';
import { defaultPresencePollOptions, presenceHandler, PresencePoller, type PresencePollOptions } from './presence-in.ts';
import { defaultPresenceOutOptions, PresencePublisher, type PresenceOutOptions } from './presence-out.ts';
import { createDirectoryRepository } from './repository.ts';
import { directoryRoutes } from './routes.ts';
import { DirectoryService } from './service.ts';
import { defaultSpaceStateOptions, SpaceStatePublisher, type SpaceStateOptions } from './space-state.ts';

export interface DirectoryOptions {
  live?: Partial<LiveOptions>;
  presenceOut?: Partial<PresenceOutOptions>;
  spaceState?: Partial<SpaceStateOptions>;
  presencePoll?: Partial<PresencePollOptions>;
  /** Delay before the first presence check after start. */
  presencePollFirstDelayMs?: number;
  /** Publish to Matrix (presence, campaign spaces); off where no homeserver is behind (benchmarks). */
  publishToMatrix?: boolean;
}

export interface DirectoryDeps {
  db: Database;
  gateway: MatrixGateway;
  log: Logger;
  metrics: Metrics;
  platformToken: string;
  /** Timings of the live stream and Matrix publishing (tests, benchmarks). */
  options?: DirectoryOptions;
}

/** The agent-picker feature, assembled: its routes, its presence handler and its background work. */
export interface DirectoryFeature extends Feature {
  service: DirectoryService;
  live: DirectoryLive;
  poller: PresencePoller;
  /** Listens for the changes of every process (live-relay.ts) and starts the periodic presence check. */
  start(): Promise<void>;
  /** Resolves when the Matrix writes queued so far are done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createDirectory(deps: DirectoryDeps): DirectoryFeature {
  const options = deps.options ?? {};
  const log = deps.log.child({ module: 'directory' });
  const repository = createDirectoryRepository(deps.db);
  const accounts = createAccountRepository(deps.db);
  const live = new DirectoryLive({
    log,
    metrics: deps.metrics,
    options: { ...defaultLiveOptions, ...options.live },
    readSessions: (usernames) => accounts.sessionStates(usernames),
  });
  const relay = new LiveRelay({ db: deps.db, hub: live, log });
  const toMatrix = options.publishToMatrix ?? true;
  const presence = toMatrix
    ? new PresencePublisher({
        gateway: deps.gateway,
        repository,
        log,
        metrics: deps.metrics,
        options: { ...defaultPresenceOutOptions, ...options.presenceOut },
      })
    : undefined;
  const spaces = toMatrix
    ? new SpaceStatePublisher({
        gateway: deps.gateway,
        repository,
        log,
        metrics: deps.metrics,
        options: { ...defaultSpaceStateOptions, ...options.spaceState },
      })
    : undefined;
  const service = new DirectoryService({
    repository,
    live: relay,
    presence,
    spaces,
    userIdFor: (username) => deps.gateway.userIdFor(username),
    log,
    metrics: deps.metrics,
  });
  const poller = new PresencePoller({
    gateway: deps.gateway,
    repository,
    service,
    log,
    options: { ...defaultPresencePollOptions, ...options.presencePoll },
  });
  return {
    service,
    live,
    poller,
    name: 'directory',
    async plugin(app) {
      // Live streams would hold the server open: they end before it closes.
      app.addHook('preClose', async () => live.closeAll());
      await app.register(directoryRoutes, { service, live, platformToken: deps.platformToken });
    },
    ephemeralHandlers: [presenceHandler(deps.gateway, service)],
    async start() {
      await relay.start();
      if (toMatrix) poller.start(options.presencePollFirstDelayMs ?? 10_000);
    },
    async idle() {
      await Promise.all([presence?.idle(), spaces?.idle()]);
    },
    async stop() {
      live.closeAll();
      await relay.stop();
      await poller.stop();
      presence?.stop();
      spaces?.stop();
    },
  };
}
