import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config/schema.ts';
import type { Secrets } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { CommandRegistry } from './commands/registry.ts';
import { errorHandler } from './errors.ts';
import { createAccountSync, type AccountSync } from './features/account-sync/index.ts';
import { accountLanguages, createAccounts } from './features/accounts/index.ts';
import { createAttachments } from './features/attachments/index.ts';
import { createBot } from './features/bot/index.ts';
import { createChats, type ChatService } from './features/chats/index.ts';
import { createClientConfig } from './features/client-config/index.ts';
import { createDirectory, type DirectoryFeature, type DirectoryOptions } from './features/directory/index.ts';
import type { BackgroundTask, Feature } from './features/feature.ts';
import { createOperations } from './features/operations/index.ts';
import { createPassword } from './features/password/index.ts';
import { createProvisioning } from './features/provisioning/index.ts';
import { createRoomPolicy } from './features/room-policy/index.ts';
import { createSession } from './features/session/index.ts';
import { createSla, type SlaService } from './features/sla/index.ts';
import { createTypifications, type CatalogPublisher, type TypificationService } from './features/typifications/index.ts';
import { healthRoutes } from './health/routes.ts';
// Supervisors (issue 16): reports and audited review.
import { createReports, type ReportService } from './features/reports/index.ts';
import { createReview, type ReviewService } from './features/review/index.ts';
import { createSso } from './features/sso/index.ts';
import { createContext } from './features/context/index.ts';
import { adminPassword, SynapseAdmin } from './matrix/admin.ts';
import { MatrixGateway } from './matrix/gateway.ts';
import { intakeRoutes, type IntakeOptions } from './matrix/intake.ts';
import { createJournalRepository, type JournalRepository } from './matrix/journal-repository.ts';
import { NoticeService } from './matrix/notices.ts';
import { RedeliveryRequester } from './matrix/redelivery.ts';
import { CATCH_UP_MARGIN_MS, CatchUp, watchHomeserver } from './matrix/catch-up.ts';
import { TransactionGaps } from './matrix/txn-gaps.ts';
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
  /** The SLA's clock (tests). */
  now?: () => number;
  /** Test seam, see IntakeOptions.afterPersist. */
  afterPersist?: IntakeOptions['afterPersist'];
}

export type AppServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface App {
  server: AppServer;
  /** Serves `GET /metrics`; `server.ts` listens on it where `metrics` says. */
  metricsServer: FastifyInstance;
  /** The features' background work, in feature order; `server.ts` runs it on the leader. */
  tasks: BackgroundTask[];
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  accountSync: AccountSync;
  processor: RoomEventProcessor;
  journal: JournalRepository;
  /** Replays what Synapse lost when it comes back (matrix/catch-up.ts); `server.ts` starts the watch. */
  homeserverWatch: ReturnType<typeof watchHomeserver>;
  notices: NoticeService;
  metrics: Metrics;
  /** The bot's commands (chat-room commands join the table here). */
  commands: CommandRegistry;
  typifications: TypificationService;
  catalogPublisher: CatalogPublisher;
  chats: ChatService;
  directory: DirectoryFeature;
  /** Supervisors (issue 16). */
  reports: ReportService;
  review: ReviewService;
  /** The answer-time SLA; `server.ts` runs its scan on the leader. */
  sla: SlaService;
}

/**
 * Wires the appservice together: the Matrix side, then the features (features/feature.ts), which
 * it only composes. It does not listen: `main.ts` does, tests use `inject`.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const { db, secrets, log } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const gateway = new MatrixGateway({
    homeserverUrl: config.matrix.homeserverUrl,
    serverName: config.matrix.serverName,
    appserviceId: config.matrix.appserviceId,
    asToken: secrets.as_token,
    botLocalpart: config.matrix.botLocalpart,
    userPrefix: config.matrix.userPrefix,
    log,
  });
  const admin = new SynapseAdmin({
    homeserverUrl: config.matrix.homeserverUrl,
    serverName: config.matrix.serverName,
    localpart: `${config.matrix.botLocalpart}-admin`,
    sharedSecret: secrets.synapse_shared_secret,
    db,
    log: log.child({ module: 'synapse-admin' }),
  });
  const journal = createJournalRepository(db);
  const notices = new NoticeService({ db, gateway });
  const { serverName, userPrefix } = config.matrix;

  // The features, each from its index.ts; what one needs of another is passed here.
  const accounts = createAccounts({
    db,
    gateway,
    metrics,
    secret: secrets.synapse_auth_secret,
    userPrefix,
    serverName,
    admin: { userId: admin.userId, password: adminPassword(secrets.synapse_shared_secret) },
  });
  const directory = createDirectory({ db, gateway, log, metrics, platformToken: secrets.provisioning_token, ...(deps.directory ? { options: deps.directory } : {}) });
  const session = createSession({ db, gateway, jwtKey: secrets.jwt_key, streams: directory.live, log });
  const password = await createPassword({ db, gateway, admin, sessions: session.revocation, config, log });
  const typifications = createTypifications({ db, gateway, accounts: accounts.repository, log });
  const accountSync = createAccountSync({ db, gateway, admin, log, userPrefix });
  const provisioning = createProvisioning({
    db,
    gateway,
    admin,
    sync: accountSync.sync,
    passwords: password.service,
    sessions: session.revocation,
    publisher: typifications.publisher,
    token: secrets.provisioning_token,
  });
  const languageOf = accountLanguages(db);
  const chats = createChats({ db, gateway, catalog: typifications.service, notices, languageOf, log, serverName });
  const attachments = createAttachments({ gateway, admin, config, secret: secrets.synapse_auth_secret, metrics, languageOf, log });
  const roomPolicy = createRoomPolicy({ gateway, chats: chats.service.repo, metrics, languageOf, log });
  const operations = createOperations({ journal });
  const reports = createReports({
    db,
    gateway,
    defaultTimeZone: config.reports.defaultTimeZone,
    csvSeparator: config.reports.csvSeparator,
    sectionUrl: `${config.server.publicUrl.replace(/\/$/, '')}/supervision`,
    chats: chats.service.repo,
  });
  const review = createReview({ db, gateway, notices, languageOf, reports: reports.service, notifyParticipants: config.review.notifyParticipants, log });
  const sso = createSso({
    db,
    gateway,
    log,
    publicUrl: config.server.publicUrl,
    ttlSeconds: config.sso.codeTtlSeconds,
    provisioningToken: secrets.provisioning_token,
  });
  const context = createContext({
    gateway,
    notices,
    languageOf,
    chatOf: (roomId, username) => chats.service.get(roomId, username),
    contextUrl: config.platform.contextUrl,
    timeoutMs: config.platform.contextTimeoutMs,
    token: secrets.provisioning_token,
    log,
  });
  const sla = createSla({
    db,
    gateway,
    notices,
    languageOf,
    publicUrl: config.server.publicUrl,
    chats: chats.service.repo,
    log,
    defaultMinutes: config.sla.defaultMinutes,
    ...(deps.now ? { now: deps.now } : {}),
  });
  // In this order: plugins are registered (session first: it decorates `app.authenticate`), room
  // handlers run, and commands are listed in the help.
  const features: Feature[] = [
    createClientConfig({ config }),
    session,
    accounts,
    accountSync,
    provisioning,
    password,
    attachments,
    roomPolicy,
    typifications,
    chats,
    directory,
    reports,
    review,
    sso,
    context,
    operations,
    sla,
  ];
  const commands = new CommandRegistry({ commands: features.flatMap((f) => f.commands ?? []), log: log.child({ module: 'commands' }) });
  features.push(
    createBot({
      gateway,
      db,
      registry: commands,
      notices,
      log,
      isChatRoom: async (roomId) => (await chats.service.repo.find(roomId)) !== undefined,
    }),
  );

  const processor = new RoomEventProcessor({
    journal,
    handlers: [...features.flatMap((f) => f.roomHandlers ?? []), ...(deps.handlers ?? [])],
    ephemeralHandlers: [...features.flatMap((f) => f.ephemeralHandlers ?? []), ...(deps.ephemeralHandlers ?? [])],
    log: log.child({ module: 'processor' }),
    metrics,
    ...(deps.processor ? { options: deps.processor } : {}),
    // A follower stores transactions and tells the leader which rooms have new events.
    handOver: (rooms) =>
      void journal.handOver(rooms).catch((err: unknown) =>
        log.warn({ err }, 'could not hand rooms over to the leader; its sweep will find them'),
      ),
  });

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
  // Closing waits for open connections: a response given while closing ends its connection, or a
  // keep-alive one (Synapse's, mid-transaction when the stop began) would hold the stop for
  // keepAliveTimeout (72 s).
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  server.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  server.addHook('onReady', async () => {
    for (const feature of features) await feature.start?.();
  });
  server.addHook('onClose', async () => {
    await processor.stop();
    for (const feature of features) await feature.stop?.();
  });

  await server.register(healthRoutes, { gateway, journal });
  for (const feature of features) if (feature.plugin) await server.register(feature.plugin);
  const redelivery = new RedeliveryRequester({
    storeReady: () => journal.ping(),
    ping: () => gateway.ping(),
    log: log.child({ module: 'intake' }),
  });
  server.addHook('onClose', async () => redelivery.stop());
  const catchUp = new CatchUp({ gateway, journal, processor, log: log.child({ module: 'catch-up' }) });
  const homeserverWatch = watchHomeserver({ catchUp, reachable: () => gateway.reachable(), log: log.child({ module: 'catch-up' }) });
  server.addHook('onClose', async () => homeserverWatch.stop());
  // A transaction Synapse skipped and never sends (a race of its recovery) is read back from history.
  const txnGaps = new TransactionGaps({
    receivedSince: (ids, since) => journal.receivedSince(ids, since),
    catchUp: (since) => catchUp.run(since - CATCH_UP_MARGIN_MS),
    log: log.child({ module: 'intake' }),
  });
  txnGaps.start();
  server.addHook('onClose', async () => txnGaps.stop());
  // Synapse on SQLite numbers its transactions from 1 again after a restart: time to catch up.
  let lastTxn = 0;
  const onTransaction = (txnId: string) => {
    const n = Number(txnId);
    if (!Number.isInteger(n)) return;
    if (n < lastTxn) homeserverWatch.nudge();
    lastTxn = n;
  };
  await server.register(intakeRoutes, {
    hsToken: secrets.hs_token,
    onStoreFailed: () => redelivery.storeFailed(),
    onTransaction,
    onStored: (txnId) => txnGaps.seen(txnId),
    journal,
    processor,
    metrics,
    ...(deps.afterPersist ? { afterPersist: deps.afterPersist } : {}),
  });
  // issue 17 (embed): frame-ancestors from embed.allowedOrigins
  await server.register(clientRoutes, { distDir: config.client.distDir, frameAncestors: config.embed.allowedOrigins });

  // Prometheus metrics on their own server (config `metrics`), never on the port users reach.
  const metricsServer = Fastify({ loggerInstance: log.child({ module: 'metrics' }) as FastifyBaseLogger });
  metricsServer.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  return {
    server,
    metricsServer,
    tasks: features.flatMap((f) => f.tasks ?? []),
    gateway,
    admin,
    accountSync: accountSync.sync,
    processor,
    journal,
    homeserverWatch,
    notices,
    metrics,
    commands,
    typifications: typifications.service,
    catalogPublisher: typifications.publisher,
    chats: chats.service,
    directory,
    reports: reports.service,
    review: review.service,
    sla: sla.service,
  };
}
