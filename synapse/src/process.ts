import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHomeserverConfig, renderLogConfig, type HomeserverOptions } from './config.ts';
import { newSigningKey } from './signing-key.ts';

export const synapseDir = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const repoRoot = path.dirname(synapseDir);
export const defaultVenv = path.join(repoRoot, '.cache', 'synapse-venv');
/** Where Chattigo's Synapse modules live; put on Synapse's PYTHONPATH. */
export const modulesDir = path.join(synapseDir, 'python');

export class SynapseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynapseError';
  }
}

/** Runs synapse/install.sh (a no-op when the pinned install is already there). */
export async function ensureSynapseInstalled(
  venv: string = process.env['SYNAPSE_VENV'] ?? defaultVenv,
  output: 'inherit' | 'ignore' = 'inherit',
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [path.join(synapseDir, 'install.sh'), venv], { stdio: ['ignore', output, 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new SynapseError(`synapse/install.sh failed with exit code ${code}`)),
    );
  });
  return venv;
}

export interface StartSynapseOptions extends HomeserverOptions {
  venv: string;
  readyTimeoutMs?: number;
}

export interface RunningSynapse {
  url: string;
  configPath: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
  /**
   * Sends `signal` (fault tests: SIGKILL for a crash, SIGTERM for a clean stop) and waits for the
   * exit, with SIGKILL after 15 s. Start it again with `startSynapse` and the same options.
   */
  kill(signal: NodeJS.Signals): Promise<void>;
}

function pythonOf(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

/** Ends a Synapse left running by an earlier run that died without stopping it. */
async function stopStale(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('synapse.app.homeserver')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(100);
  if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Writes the homeserver config into `dataDir`, generates the signing key on first use, starts
 * Synapse and resolves when its `/health` answers. `stop()` ends it and waits for the exit; a
 * Synapse still running when this process exits is killed with it.
 */
export async function startSynapse(options: StartSynapseOptions): Promise<RunningSynapse> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const configPath = path.join(dataDir, 'homeserver.yaml');
  const logFile = options.logFile ?? path.join(dataDir, 'homeserver.log');
  const stdoutLog = path.join(dataDir, 'synapse.out.log');
  await writeFile(configPath, renderHomeserverConfig(options), { mode: 0o600 });
  await writeFile(path.join(dataDir, 'log.config'), renderLogConfig(logFile));
  await stopStale(path.join(dataDir, 'homeserver.pid'));

  const python = pythonOf(options.venv);
  if (!existsSync(python)) {
    throw new SynapseError(`no Synapse virtualenv at ${options.venv}; run synapse/install.sh first`);
  }
  const signingKey = path.join(dataDir, 'signing.key');
  if (!existsSync(signingKey)) await writeFile(signingKey, newSigningKey(), { mode: 0o600 });

  const bind = options.bindAddresses?.[0];
  const host = bind === undefined || bind === '0.0.0.0' ? '127.0.0.1' : bind;
  // Something else answering there would pass for this Synapse's /health below.
  if (!(await portFree(host, options.port))) {
    throw new SynapseError(
      `port ${options.port} on ${host} is already in use by another program: stop it (another ./dev up, a test run?) or give Synapse another port (matrix.homeserverUrl)`,
    );
  }
  const out = openSync(stdoutLog, 'a');
  const child: ChildProcess = spawn(python, ['-m', 'synapse.app.homeserver', '-c', configPath], {
    stdio: ['ignore', out, out],
    cwd: dataDir,
    env: { ...process.env, PYTHONPATH: [modulesDir, process.env['PYTHONPATH']].filter(Boolean).join(path.delimiter) },
  });
  closeSync(out);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exited = true;
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );

  const url = `http://${host}:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (exited) {
      throw new SynapseError(
        `Synapse exited during start-up. Last lines of ${stdoutLog} and ${logFile}:\n${await tail(stdoutLog)}\n${await tail(logFile)}`,
      );
    }
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new SynapseError(`Synapse did not answer on ${url} in time; see ${logFile}`);
    }
    await sleep(200);
  }

  const kill = async (signal: NodeJS.Signals) => {
    if (exited) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
    await rm(path.join(dataDir, 'homeserver.pid'), { force: true });
  };
  return { url, configPath, logFile, pid: child.pid ?? -1, stop: () => kill('SIGTERM'), kill };
}

/** Whether nothing listens on `host:port` (a bind that succeeds, then is released at once). */
function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
