/**
 * `./dev up`: the whole system on this machine — Synapse (SQLite), the appservice (embedded
 * database unless database.url is set), the built web client — until Ctrl-C stops all of it.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { ensureSynapseInstalled, repoRoot, startSynapse, type RunningSynapse } from '@chattigo/synapse';
import { ConfigError, loadConfig } from '../appservice/src/config/load.ts';
import { loadSecrets } from '../appservice/src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../appservice/src/matrix/registration.ts';
import { createLogger } from '../appservice/src/observability/logger.ts';
import { startAppservice, type RunningAppservice } from '../appservice/src/server.ts';
import { describeDemoLogins, ensureDemoData } from './demo.ts';

const say = (text: string) => process.stdout.write(`==> ${text}\n`);
const localDir = path.join(repoRoot, '.local');

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
  const file = await configPath();
  const config = await loadConfig(file);
  say(`config ${path.relative(repoRoot, file)} is valid`);
  const secrets = await loadSecrets(config.secrets.dir, { generate: true });

  const venv = await ensureSynapseInstalled();
  const synapseData = path.join(localDir, 'synapse');
  const registration = path.join(synapseData, 'registration.yaml');
  await mkdir(synapseData, { recursive: true });
  await writeFile(registration, renderRegistration(config.matrix, secrets), { mode: 0o600 });

  let synapse: RunningSynapse | undefined;
  let appservice: RunningAppservice | undefined;
  const stopAll = async () => {
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
    say('starting Synapse');
    const homeserverUrl = new URL(config.matrix.homeserverUrl);
    synapse = await startSynapse({
      venv,
      ...homeserverWiring(config, secrets),
            dataDir: synapseData,
      port: Number(homeserverUrl.port || 80),
      appserviceRegistrationFiles: [registration],
    });
    say(`Synapse is up at ${synapse.url} (log: ${path.relative(repoRoot, synapse.logFile)})`);

    say('building the web client');
    await buildClient();

    say('starting the appservice');
    const logFile = path.join(localDir, 'appservice.log');
    const log = createLogger(config.log.level, pino.destination({ dest: logFile, mkdir: true, sync: false }));
    say(`appservice log: ${path.relative(repoRoot, logFile)}`);
    appservice = await startAppservice(config, { generateSecrets: true, log });
    const pingMs = await appservice.app.gateway.ping();
    say(`Synapse pinged the appservice in ${pingMs} ms`);
    const demo = await ensureDemoData(appservice, secrets);
    if (demo.loaded) say(`loaded the demo directory (${demo.accounts.length} accounts)`);
    process.stdout.write(
      `\n  Chattigo Agent Chat is running.\n  Open ${config.server.publicUrl}\n` +
        `  Matrix homeserver for Element: ${config.matrix.homeserverUrl}\n` +
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
