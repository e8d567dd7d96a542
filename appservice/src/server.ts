import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, type App, type AppDeps } from './app.ts';
import type { Config } from './config/schema.ts';
import { loadSecrets } from './config/secrets.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { createLogger, type Logger } from './observability/logger.ts';

export interface RunningAppservice {
  app: App;
  url: string;
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
  try {
    await migrate(db, log.child({ module: 'migrate' }));
    const app = await buildApp(config, { ...options.deps, db, secrets, log });
    const url = await app.server.listen({ host: config.server.host, port: config.server.port });
    log.info({ url, database: db.kind }, 'appservice listening');
    await app.processor.resume();
    const resync = setInterval(() => void app.accountSync.syncPending().catch(() => undefined), 60_000);
    resync.unref();
    const pinging = pingSynapse(app, config.matrix.botDisplayName, log, options.pingTimeoutMs ?? 120_000);
    return {
      app,
      url,
      log,
      db,
      async stop() {
        pinging.controller.abort();
        clearInterval(resync);
        // Let start-up work still talking to Synapse or the database finish before closing them.
        await pinging.done;
        await app.accountSync.idle();
        await app.server.close();
        if (ownsDb) await db.close();
      },
    };
  } catch (err) {
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
      await app.accountSync.syncPending();
      await app.chats.reconcile();
      await app.catalogPublisher.publishAll();
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
