import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config/schema.ts';
import type { Secrets } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { CommandRegistry } from './commands/registry.ts';
import { errorHandler } from './errors.ts';
import { authCheckRoutes } from './features/accounts/auth-check.ts';
import { DirectorySync } from './features/accounts/matrix-sync.ts';
import { provisioningRoutes } from './features/accounts/routes.ts';
import { clientConfigRoutes } from './features/client-config/routes.ts';
import { createMailer } from './features/password/mailer.ts';
import { passwordRoutes } from './features/password/routes.ts';
import { PasswordService } from './features/password/service.ts';
import { AttachmentHandler } from './features/attachments/handler.ts';
import { attachmentRoutes } from './features/attachments/routes.ts';
import { createBotHandler } from './features/bot/handler.ts';
import { chatCommands } from './features/chats/commands.ts';
import { elementDirectChatHandler } from './features/chats/element-dm.ts';
import { chatRoutes } from './features/chats/routes.ts';
import { ChatService } from './features/chats/service.ts';
import { createDirectory, type DirectoryFeature, type DirectoryOptions } from './features/directory/index.ts';
import { API_AUDIENCE, JWT_ALGORITHM } from './features/session/auth.ts';
import { sessionRoutes } from './features/session/routes.ts';
import { typificationCommands } from './features/typifications/commands.ts';
import { CatalogPublisher } from './features/typifications/publisher.ts';
import { typificationRoutes } from './features/typifications/routes.ts';
import { TypificationService } from './features/typifications/service.ts';
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
  accountSync: DirectorySync;
  processor: RoomEventProcessor;
  metrics: Metrics;
  /** The bot's commands (chat-room commands join the table here). */
  commands: CommandRegistry;
  typifications: TypificationService;
  catalogPublisher: CatalogPublisher;
  chats: ChatService;
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
  const accountSync = new DirectorySync({
    db,
    gateway,
    admin,
    log: log.child({ module: 'account-sync' }),
    userPrefix: config.matrix.userPrefix,
  });
  const passwords = new PasswordService({
    db,
    gateway,
    admin,
    mailer: await createMailer(config.mail, config.secrets.dir, log.child({ module: 'mail' })),
    log: log.child({ module: 'password' }),
    publicUrl: config.server.publicUrl,
    userPrefix: config.matrix.userPrefix,
    serverName: config.matrix.serverName,
    resetMinutes: config.password.resetMinutes,
    welcomeHours: config.password.welcomeHours,
  });
  const journal = createJournalRepository(db);
  const attachments = new AttachmentHandler({
    gateway,
    admin,
    serverName: config.matrix.serverName,
    policy: config.attachments,
    metrics,
    log: log.child({ module: 'attachments' }),
  });

  const typifications = new TypificationService(db, log.child({ module: 'typifications' }));
  const catalogPublisher = new CatalogPublisher(typifications, gateway, log.child({ module: 'typifications' }));
  typifications.onChange(async (catalog) => void (await catalogPublisher.publish(catalog)));
  const chats = new ChatService({ db, gateway, catalog: typifications, log: log.child({ module: 'chats' }), serverName: config.matrix.serverName });
  const commands = new CommandRegistry(
    [...typificationCommands(typifications), ...chatCommands(chats)],
    log.child({ module: 'commands' }),
  );
  const bot = createBotHandler({
    gateway,
    db,
    registry: commands,
    log: log.child({ module: 'bot' }),
    isChatRoom: async (roomId) => (await chats.repo.find(roomId)) !== undefined,
  });
  const elementDirectChats = elementDirectChatHandler({ gateway, chats, log: log.child({ module: 'chats' }) });
  const directory = createDirectory(
    { db, gateway, log, metrics, platformToken: secrets.provisioning_token },
    deps.directory,
  );
  const processor = new RoomEventProcessor(
    journal,
    [attachments, bot, elementDirectChats, ...(deps.handlers ?? [])],
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
  await server.register(clientConfigRoutes, { config });
  await server.register(sessionRoutes, { db, gateway });
  await server.register(authCheckRoutes, {
    db,
    gateway,
    metrics,
    secret: secrets.synapse_auth_secret,
    userPrefix: config.matrix.userPrefix,
    serverName: config.matrix.serverName,
  });
  await server.register(provisioningRoutes, {
    db,
    gateway,
    admin,
    sync: accountSync,
    passwords,
    publisher: catalogPublisher,
    token: secrets.provisioning_token,
  });
  await server.register(passwordRoutes, { service: passwords });
  await server.register(attachmentRoutes, { db, policy: config.attachments });
  await server.register(typificationRoutes, { db, service: typifications });
  await server.register(chatRoutes, { db, gateway, chats });
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

  return { server, gateway, admin, accountSync, processor, metrics, commands, typifications, catalogPublisher, chats, directory };
}
