import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, type App, type AppDeps } from './app.ts';
import { JOURNAL_CHANNEL } from './matrix/journal-repository.ts';
import { startLeadership } from './db/leadership.ts';
import type { BackgroundTask } from './features/feature.ts';
import type { Config } from './config/schema.ts';
import { loadSecrets } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { createLogger, type Logger } from './observability/logger.ts';

export interface RunningAppservice {
  app: App;
  url: string;
  /** Where Prometheus metrics are served (`metrics.enabled`), e.g. http://127.0.0.1:9464/metrics. */
  metricsUrl: string | undefined;
  log: Logger;
  db: Database;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Generate missing secret files (local runs); production provides them. */
  generateSecrets?: boolean;
  log?: Logger;
  /** Overrides for tests: an already opened database, extra handlers, seams. */
  deps?: Partial<Omit<AppDeps, 'secrets' | 'log'>>;
  /** How long to keep retrying Synapse's ping of the appservice after listening. */
  pingTimeoutMs?: number;
  /** Periods of the features' background tasks by task name, instead of their own (tests shorten them). */
  intervalsMs?: Readonly<Record<string, number>>;
  /** How often a follower tries to take over consumption (default 2 s). */
  leadershipIntervalMs?: number;
}

/** Advisory lock key of the journal consumer (db/leadership.ts). */
export const JOURNAL_CONSUMER_LOCK = 7_403_112_002;

function roomsIn(payload: string): string[] {
  try {
    const rooms: unknown = JSON.parse(payload);
    return Array.isArray(rooms) ? rooms.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** Runs a background task, logging (not throwing) a failure: the next period tries again. */
function runTask(task: BackgroundTask, log: Logger, running: Set<Promise<void>>): void {
  const run = task.run().then(
    () => undefined,
    (err: unknown) => log.warn({ err, task: task.name }, 'background task failed; will try again'),
  );
  running.add(run);
  void run.finally(() => running.delete(run));
}

/** Processed events are kept this long: their ids de-duplicate a late redelivery. */
const JOURNAL_RETENTION_DAYS = 7;

async function pruneJournal(app: App, log: Logger): Promise<void> {
  try {
    const pruned = await app.journal.prune(JOURNAL_RETENTION_DAYS);
    if (pruned > 0) log.info({ pruned }, 'old processed events pruned from the journal');
  } catch (err) {
    log.warn({ err }, 'could not prune the journal');
  }
}

/**
 * Starts the appservice: database and migrations, the HTTP server, the bot, then asks Synapse to
 * ping it. Resolves once it listens; the ping is retried in the background until Synapse answers.
 */
export async function startAppservice(config: Config, options: StartOptions = {}): Promise<RunningAppservice> {
  const log = options.log ?? createLogger(config.log.level);
  const secrets = await loadSecrets(config.secrets.dir, { generate: options.generateSecrets ?? false });
  const db = options.deps?.db ?? (await openDatabase(config.database));
  const ownsDb = options.deps?.db === undefined;
  let built: App | undefined;
  try {
    await migrate(db, log.child({ module: 'migrate' }));
    const app = await buildApp(config, { ...options.deps, db, secrets, log });
    built = app;
    // Several processes may share the database: only the leader consumes the journal.
    await app.processor.standby();
    const url = await app.server.listen({ host: config.server.host, port: config.server.port });
    log.info({ url, database: db.kind }, 'appservice listening');
    const metricsUrl = config.metrics.enabled
      ? `${await app.metricsServer.listen({ host: config.metrics.host, port: config.metrics.port })}/metrics`
      : undefined;
    if (metricsUrl) log.info({ url: metricsUrl }, 'metrics listening');
    // Background runs under way: waited for before the server closes.
    const running = new Set<Promise<void>>();
    const leadership = startLeadership(db, {
      key: JOURNAL_CONSUMER_LOCK,
      log: log.child({ module: 'leadership' }),
      onGain: async () => {
        await app.processor.resume();
        for (const task of app.tasks) if (task.onLeadership) runTask(task, log, running);
      },
      onLose: () => app.processor.standby(),
      ...(options.leadershipIntervalMs ? { intervalMs: options.leadershipIntervalMs } : {}),
    });
    app.homeserverWatch.start();
    const stopListening = await db.listen(JOURNAL_CHANNEL, (payload) => {
      if (leadership.isLeader()) app.processor.schedule(roomsIn(payload));
    });
    // The features' periodic work (finishing what crashes interrupted, SLA reminders…), on the
    // leader only; and the journal kept from growing without end.
    const timers = app.tasks.flatMap((task) => {
      const everyMs = options.intervalsMs?.[task.name] ?? task.everyMs;
      if (everyMs === undefined) return [];
      const timer = setInterval(() => leadership.isLeader() && runTask(task, log, running), everyMs);
      timer.unref();
      return [timer];
    });
    const prune = setInterval(() => leadership.isLeader() && void pruneJournal(app, log), 60 * 60 * 1000);
    prune.unref();
    timers.push(prune);
    void pruneJournal(app, log);
    const pinging = pingSynapse(app, config.matrix.botDisplayName, log, options.pingTimeoutMs ?? 120_000);
    return {
      app,
      url,
      metricsUrl,
      log,
      db,
      async stop() {
        pinging.controller.abort();
        for (const timer of timers) clearInterval(timer);
        await stopListening();
        await leadership.stop();
        // Let start-up and background work still talking to Synapse or the database finish before
        // closing them (while the server still answers Synapse's transactions about it).
        await pinging.done;
        await Promise.all(running);
        for (const task of app.tasks) await task.idle?.();
        try {
          await app.server.close();
        } finally {
          await app.metricsServer.close();
          if (ownsDb) await db.close();
        }
      },
    };
  } catch (err) {
    // A listener that did start (the main one, when the metrics port is taken) is closed again.
    await built?.server.close().catch(() => undefined);
    await built?.metricsServer.close().catch(() => undefined);
    if (ownsDb) await db.close().catch(() => undefined);
    throw err;
  }
}

/** Sets up the bot and asks Synapse to ping the appservice, retrying while Synapse is not there. */
function pingSynapse(app: App, botName: string, log: Logger, timeoutMs: number): { controller: AbortController; done: Promise<void> } {
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const attempt = async (delay: number): Promise<void> => {
    if (controller.signal.aborted) return;
    try {
      await app.gateway.setUpBot(botName);
      const ms = await app.gateway.ping();
      log.info({ durationMs: ms }, 'Synapse pinged the appservice successfully');
      for (const task of app.tasks) if (task.atStartup) await task.run();
    } catch (err) {
      if (Date.now() > deadline) {
        log.error({ err }, 'Synapse could not ping the appservice; check matrix.homeserverUrl and the registration');
        return;
      }
      log.debug({ err }, 'Synapse not ready for the ping yet; retrying');
      const slept = await sleep(delay, undefined, { signal: controller.signal, ref: false }).then(
        () => true,
        () => false,
      );
      return slept ? attempt(Math.min(delay * 2, 5000)) : undefined;
    }
  };
  const done = attempt(250).catch((err: unknown) => log.error({ err }, 'start-up work with Synapse failed'));
  return { controller, done };
}
