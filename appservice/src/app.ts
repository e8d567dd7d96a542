import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config/schema.ts';
import type { Secrets } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { errorHandler } from './errors.ts';
import { createDirectory, type DirectoryFeature, type DirectoryOptions } from './features/directory/index.ts';
import { API_AUDIENCE, JWT_ALGORITHM } from './features/session/auth.ts';
import { sessionRoutes } from './features/session/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { SynapseAdmin } from './matrix/admin.ts';
import { MatrixGateway } from './matrix/gateway.ts';
import { intakeRoutes, type IntakeOptions } from './matrix/intake.ts';
import { createJournalRepository } from './matrix/journal.ts';
import {
  RoomEventProcessor,
  type EphemeralEventHandler,
  type ProcessorOptions,
  type RoomEventHandler,
} from './matrix/processor.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { clientRoutes } from './web/client.ts';

export interface AppDeps {
  db: Database;
  secrets: Secrets;
  log: Logger;
  metrics?: Metrics;
  /** Extra room-event handlers (tests); the features' own handlers are always registered. */
  handlers?: readonly RoomEventHandler[];
  /** Extra ephemeral-event handlers (tests); the features' own handlers are always registered. */
  ephemeralHandlers?: readonly EphemeralEventHandler[];
  /** Timings of the directory's live stream and Matrix publishing (tests, benchmarks). */
  directory?: DirectoryOptions;
  processor?: ProcessorOptions;
  /** Test seam, see IntakeOptions.afterPersist. */
  afterPersist?: IntakeOptions['afterPersist'];
}

export type AppServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface App {
  server: AppServer;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  processor: RoomEventProcessor;
  metrics: Metrics;
  directory: DirectoryFeature;
}

/** Wires the appservice together. It does not listen: `main.ts` does, tests use `inject`. */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const { db, secrets, log } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const gateway = new MatrixGateway(
    {
      homeserverUrl: config.matrix.homeserverUrl,
      serverName: config.matrix.serverName,
      appserviceId: config.matrix.appserviceId,
      asToken: secrets.as_token,
      botLocalpart: config.matrix.botLocalpart,
      userPrefix: config.matrix.userPrefix,
    },
    log,
  );
  const admin = new SynapseAdmin(
    {
      homeserverUrl: config.matrix.homeserverUrl,
      serverName: config.matrix.serverName,
      localpart: `${config.matrix.botLocalpart}-admin`,
      sharedSecret: secrets.synapse_shared_secret,
    },
    db,
    log.child({ module: 'synapse-admin' }),
  );
  const journal = createJournalRepository(db);
  const directory = createDirectory(
    { db, gateway, log, metrics, platformToken: secrets.provisioning_token },
    deps.directory,
  );
  const processor = new RoomEventProcessor(
    journal,
    [...(deps.handlers ?? [])],
    log.child({ module: 'processor' }),
    metrics,
    deps.processor,
    [directory.presenceHandler, ...(deps.ephemeralHandlers ?? [])],
  );

  const server: AppServer = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  server.setValidatorCompiler(TypeBoxValidatorCompiler);
  server.setErrorHandler(errorHandler);

  server.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  server.addHook('onReady', async () => {
    directory.start();
  });
  // Live streams would hold the server open: end them before it closes.
  server.addHook('preClose', async () => {
    directory.closeStreams();
  });
  server.addHook('onClose', async () => {
    await processor.stop();
    await directory.stop();
  });

  server.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  await server.register(fastifyJwt, {
    secret: secrets.jwt_key,
    sign: { algorithm: JWT_ALGORITHM, aud: API_AUDIENCE },
    verify: { algorithms: [JWT_ALGORITHM], allowedAud: API_AUDIENCE },
  });

  await server.register(healthRoutes, { db, gateway });
  await server.register(sessionRoutes, { db, gateway });
  await server.register(directory.routes, directory.routeOptions);
  // Feature routes that act for an agent register here, each in its own scope using
  // `requireAgent(db)` from features/session/auth.ts as an onRequest hook.
  await server.register(intakeRoutes, {
    hsToken: secrets.hs_token,
    journal,
    processor,
    metrics,
    ...(deps.afterPersist ? { afterPersist: deps.afterPersist } : {}),
  });
  await server.register(clientRoutes, { distDir: config.client.distDir });

  return { server, gateway, admin, processor, metrics, directory };
}
