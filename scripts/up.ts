/**
 * `./dev up`: the whole system on this machine — Synapse (SQLite), the appservice (embedded
 * database unless database.url is set), the built web client — until Ctrl-C stops all of it.
 *
 * `./dev up --topology production`: the same on the production topology instead — Synapse on
 * PostgreSQL split into workers behind nginx with Redis (synapse/src/production.ts), and the
 * appservice on PostgreSQL (databases chattigo_synapse and chattigo_appservice on the server of
 * $CHATTIGO_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { parseArgs } from 'node:util';
import { ensureSynapseInstalled, repoRoot, startProductionSynapse, startSynapse } from '@chattigo/synapse';
import { ensureDatabase } from './lib/postgres-db.ts';
import { ConfigError, loadConfig } from '../appservice/src/config/load.ts';
import { loadSecrets } from '../appservice/src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../appservice/src/matrix/registration.ts';
import { createLogger } from '../appservice/src/observability/logger.ts';
import { startAppservice, type RunningAppservice } from '../appservice/src/server.ts';
import { describeDemoLogins, ensureDemoData } from './demo.ts';
import { demoHostOrigin, startDemoHost, type DemoHost } from './demo-host.ts';

const say = (text: string) => process.stdout.write(`==> ${text}\n`);
/** Where Synapse's data (and a first config) go; CHATTIGO_LOCAL_DIR moves it (the fault tests run it in a temporary folder). */
const localDir = path.resolve(process.env['CHATTIGO_LOCAL_DIR'] ?? path.join(repoRoot, '.local'));
/** CHATTIGO_SKIP_CLIENT_BUILD=1 serves the client build already in client.distDir (or none) instead of building it. */
const skipClientBuild = process.env['CHATTIGO_SKIP_CLIENT_BUILD'] === '1';

async function configPath(): Promise<string> {
  const fromEnv = process.env['CHATTIGO_CONFIG'];
  if (fromEnv) return path.resolve(fromEnv);
  const committedPlace = path.join(repoRoot, 'config', 'config.yaml');
  if (existsSync(committedPlace)) return committedPlace;
  const local = path.join(localDir, 'config.yaml');
  if (!existsSync(local)) {
    await mkdir(localDir, { recursive: true });
    await copyFile(path.join(repoRoot, 'config', 'config.sample.yaml'), local);
    say(`created ${path.relative(repoRoot, local)} from config/config.sample.yaml`);
  }
  return local;
}

function buildClient(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build', '--workspace', 'client'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client build failed (exit ${code})`))));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { topology: { type: 'string', default: 'local' } } });
  if (values.topology !== 'local' && values.topology !== 'production') {
    process.stderr.write(`error: --topology must be "local" (the default) or "production", not "${values.topology}"\n`);
    process.exit(2);
  }
  const production = values.topology === 'production';
  const file = await configPath();
  let config = await loadConfig(file);
  say(`config ${path.relative(repoRoot, file)} is valid`);
  const secrets = await loadSecrets(config.secrets.dir, { generate: true });

  const venv = await ensureSynapseInstalled();
  const synapseData = path.join(localDir, 'synapse');
  const registration = path.join(synapseData, 'registration.yaml');
  await mkdir(synapseData, { recursive: true });
  await writeFile(registration, renderRegistration(config.matrix, secrets), { mode: 0o600 });

  const pgAdmin = process.env['CHATTIGO_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (production && !config.database.url) {
    config = { ...config, database: { ...config.database, url: await ensureDatabase(pgAdmin, 'chattigo_appservice') } };
  }

  // The demo agent desktop (config/demo/host.html) on another origin than the chat: another host
  // name, so that the chat runs in a third-party iframe as in the Chattigo desktop. It may embed the
  // chat, and plays the platform's context provider unless platform.contextUrl is configured.
  const demoHostPort = Number(process.env['CHATTIGO_DEMO_HOST_PORT'] ?? 9100);
  const demoHostName = new URL(config.server.publicUrl).hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  const demoOrigin = demoHostOrigin(demoHostName, demoHostPort);
  config = {
    ...config,
    embed: { ...config.embed, allowedOrigins: [...new Set([...config.embed.allowedOrigins, demoOrigin])] },
    platform: { ...config.platform, contextUrl: config.platform.contextUrl ?? `${demoOrigin}/demo/context/{conversationId}` },
  };
  let demoHost: DemoHost | undefined;

  let synapse: { url: string; logFile?: string; stop(): Promise<void> } | undefined;
  let appservice: RunningAppservice | undefined;
  const stopAll = async () => {
    await demoHost?.stop().catch(() => undefined);
    await appservice?.stop().catch(() => undefined);
    await synapse?.stop().catch(() => undefined);
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    void stopAll().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const homeserverUrl = new URL(config.matrix.homeserverUrl);
    const synapseOptions = {
      venv,
      ...homeserverWiring(config, secrets),
      dataDir: synapseData,
      port: Number(homeserverUrl.port || 80),
      appserviceRegistrationFiles: [registration],
    };
    if (production) {
      say('starting Synapse: production topology (PostgreSQL, Redis, workers, nginx)');
      const postgresUrl = await ensureDatabase(pgAdmin, 'chattigo_synapse');
      const topology = await startProductionSynapse({ ...synapseOptions, dataDir: path.join(localDir, 'synapse-production'), postgresUrl });
      synapse = topology;
      say(`Synapse is up behind nginx at ${topology.url}: main, ${topology.children.map((c) => c.name).join(', ')} (logs: .local/synapse-production/)`);
    } else {
      say('starting Synapse');
      const single = await startSynapse(synapseOptions);
      synapse = single;
      say(`Synapse is up at ${single.url} (log: ${path.relative(repoRoot, single.logFile)})`);
    }

    if (skipClientBuild) {
      say('not building the web client (CHATTIGO_SKIP_CLIENT_BUILD=1)');
    } else {
      say('building the web client');
      await buildClient();
    }

    say('starting the appservice');
    const logFile = path.join(localDir, 'appservice.log');
    const log = createLogger(config.log.level, pino.destination({ dest: logFile, mkdir: true, sync: false }));
    say(`appservice log: ${path.relative(repoRoot, logFile)}`);
    appservice = await startAppservice(config, { generateSecrets: true, log });
    const pingMs = await appservice.app.gateway.ping();
    say(`Synapse pinged the appservice in ${pingMs} ms`);
    const demo = await ensureDemoData(appservice, secrets);
    if (demo.loaded) say(`loaded the demo directory (${demo.accounts.length} accounts)`);
    demoHost = await startDemoHost({
      host: demoHostName,
      port: demoHostPort,
      appserviceUrl: appservice.url,
      chatUrl: config.server.publicUrl,
      provisioningToken: secrets.provisioning_token,
      agents: demo.accounts.filter((a) => a.role === 'agent').map((a) => ({ username: a.username, displayName: a.displayName })),
    }).catch((err: unknown) => {
      say(`demo agent desktop not started (${err instanceof Error ? err.message : String(err)}); set CHATTIGO_DEMO_HOST_PORT`);
      return undefined;
    });
    process.stdout.write(
      `\n  Chattigo Agent Chat is running.\n  Open ${config.server.publicUrl}\n` +
        `  Matrix homeserver for Element: ${config.matrix.homeserverUrl}\n` +
        `  Metrics (Prometheus): ${appservice.metricsUrl ?? 'off (metrics.enabled: false)'}\n` +
        `  Demo agent desktop embedding the chat (another origin): ${demoHost ? `${demoHost.origin}/` : 'not running'}\n` +
        `${describeDemoLogins(demo.accounts)}\n  Press Ctrl-C to stop.\n\n`,
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
