import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { EphemeralEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { defaultLiveOptions, DirectoryLive, type LiveOptions } from './live.ts';
import { defaultPresencePollOptions, presenceHandler, PresencePoller, type PresencePollOptions } from './presence-in.ts';
import { defaultPresenceOutOptions, PresencePublisher, type PresenceOutOptions } from './presence-out.ts';
import { createDirectoryRepository } from './repository.ts';
import { directoryRoutes, type DirectoryRoutesOptions } from './routes.ts';
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
}

/** The agent-picker feature, assembled: its routes, its presence handler and its background work. */
export interface DirectoryFeature {
  service: DirectoryService;
  live: DirectoryLive;
  presenceHandler: EphemeralEventHandler;
  poller: PresencePoller;
  routes: typeof directoryRoutes;
  routeOptions: DirectoryRoutesOptions;
  /** Starts the periodic presence check. */
  start(): void;
  /** Resolves when the Matrix writes queued so far are done. */
  idle(): Promise<void>;
  /** Ends the live streams (before the server closes: they would keep it open). */
  closeStreams(): void;
  stop(): Promise<void>;
}

export function createDirectory(deps: DirectoryDeps, options: DirectoryOptions = {}): DirectoryFeature {
  const log = deps.log.child({ module: 'directory' });
  const repository = createDirectoryRepository(deps.db);
  const live = new DirectoryLive({ ...defaultLiveOptions, ...options.live }, log, deps.metrics);
  const toMatrix = options.publishToMatrix ?? true;
  const presence = toMatrix
    ? new PresencePublisher(deps.gateway, log, deps.metrics, { ...defaultPresenceOutOptions, ...options.presenceOut })
    : undefined;
  const spaces = toMatrix
    ? new SpaceStatePublisher(deps.gateway, repository, log, deps.metrics, { ...defaultSpaceStateOptions, ...options.spaceState })
    : undefined;
  const service = new DirectoryService({
    repository,
    live,
    presence,
    spaces,
    userIdFor: (username) => deps.gateway.userIdFor(username),
    log,
    metrics: deps.metrics,
  });
  const poller = new PresencePoller(deps.gateway, repository, service, log, { ...defaultPresencePollOptions, ...options.presencePoll });
  return {
    service,
    live,
    poller,
    presenceHandler: presenceHandler(deps.gateway, service),
    routes: directoryRoutes,
    routeOptions: { db: deps.db, service, live, platformToken: deps.platformToken },
    start() {
      if (toMatrix) poller.start(options.presencePollFirstDelayMs ?? 10_000);
    },
    async idle() {
      await Promise.all([presence?.idle(), spaces?.idle()]);
    },
    closeStreams() {
      live.closeAll();
    },
    async stop() {
      live.closeAll();
      await poller.stop();
      presence?.stop();
      spaces?.stop();
    },
  };
}
