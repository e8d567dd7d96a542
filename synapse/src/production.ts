import { mkdir, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { answers, startChild, type RunningChild } from './child.ts';
import { renderLogConfig } from './config.ts';
import { modulesDir, startSynapse, type RunningSynapse, type StartSynapseOptions } from './process.ts';
import { PRODUCTION_WORKERS, renderNginxConfig, sharedWorkerConfig, workerConfig, type TopologyPorts, type WorkerSpec } from './topology.ts';

export interface StartProductionOptions extends Omit<StartSynapseOptions, 'port'> {
  /** Synapse's database: the topology needs PostgreSQL. */
  postgresUrl: string;
  /** The public port: the reverse proxy listens here. */
  port: number;
  workers?: readonly WorkerSpec[];
}

export interface RunningProduction {
  /** The reverse proxy: what clients and the appservice talk to. */
  url: string;
  main: RunningSynapse;
  /** Redis, the workers and the proxy, in start order. */
  children: RunningChild[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether Redis answers PING on the port. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** Finds a Debian program, installing its package when missing and allowed (root with apt-get). */
export function ensureProgram(program: string, pkg: string): string {
  const found = ['/usr/sbin', '/usr/bin', '/usr/local/bin'].map((d) => path.join(d, program)).find((p) => existsSync(p));
  if (found) return found;
  const root = process.getuid?.() === 0;
  if (!root || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) {
    throw new Error(`the production topology needs ${program}: install Debian's package ${pkg} (apt-get install ${pkg}, as root) and run again`);
  }
  process.stderr.write(`==> installing ${pkg} (Debian) for the production topology\n`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', pkg]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed; install ${pkg} by hand`);
  }
  return ensureProgram(program, pkg);
}

/**
 * Synapse as production runs it, as local processes: Redis for replication, the main process, an
 * event persister and generic workers for /sync and client requests (all on PostgreSQL), and
 * nginx routing each endpoint to its worker. Resolves when the proxy answers.
 */
export async function startProductionSynapse(options: StartProductionOptions): Promise<RunningProduction> {
  const workers = options.workers ?? PRODUCTION_WORKERS;
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.join(dataDir, 'workers'), { recursive: true });
  const redisServer = ensureProgram('redis-server', 'redis-server');
  const nginx = ensureProgram('nginx', 'nginx-light');
  const ports: TopologyPorts = {
    mainReplication: await freePort(),
    mainClient: await freePort(),
    workers: Object.fromEntries(await Promise.all(workers.map(async (w) => [w.name, await freePort()] as const))),
  };
  const redisPort = await freePort();
  const children: RunningChild[] = [];
  let main: RunningSynapse | undefined;
  const stop = async () => {
    for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
    await main?.stop().catch(() => undefined);
  };
  try {
    children.push(
      await startChild({
        name: 'redis',
        command: redisServer,
        args: ['--port', String(redisPort), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dataDir],
        logFile: path.join(dataDir, 'redis.log'),
        ready: () => redisAnswers(redisPort),
      }),
    );
    main = await startSynapse({
      ...options,
      port: ports.mainClient,
      overrides: { ...options.overrides, ...sharedWorkerConfig({ ports, redis: { host: HOST, port: redisPort }, host: HOST, workers }) },
    });
    const python = path.join(options.venv, 'bin', 'python');
    const env = { ...process.env, PYTHONPATH: [modulesDir, process.env['PYTHONPATH']].filter(Boolean).join(path.delimiter) };
    for (const worker of workers) {
      const port = ports.workers[worker.name] ?? 0;
      const logConfig = path.join(dataDir, 'workers', `${worker.name}.log.config`);
      await writeFile(logConfig, renderLogConfig(path.join(dataDir, 'workers', `${worker.name}.log`)));
      const file = path.join(dataDir, 'workers', `${worker.name}.yaml`);
      await writeFile(file, stringify(workerConfig(worker, { port, host: HOST, logConfig })), { mode: 0o600 });
      children.push(
        await startChild({
          name: `synapse ${worker.name}`,
          command: python,
          args: ['-m', 'synapse.app.generic_worker', '-c', main.configPath, '-c', file],
          cwd: dataDir,
          env,
          logFile: path.join(dataDir, 'workers', `${worker.name}.out.log`),
          ready: () => answers(`http://${HOST}:${port}/health`),
        }),
      );
    }
    const prefix = path.join(dataDir, 'nginx');
    await mkdir(prefix, { recursive: true });
    const nginxConf = path.join(prefix, 'nginx.conf');
    await writeFile(
      nginxConf,
      renderNginxConfig({
        listen: { host: HOST, port: options.port },
        main: { host: HOST, port: ports.mainClient },
        workers: workers.filter((w) => w.serves).map((w) => ({ ...w, address: { host: HOST, port: ports.workers[w.name] ?? 0 } })),
        prefix,
        maxBodySize: proxyBodyLimit(options.maxUploadSize),
        asRoot: process.getuid?.() === 0,
      }),
    );
    const url = `http://${HOST}:${options.port}`;
    children.push(
      await startChild({
        name: 'nginx',
        command: nginx,
        args: ['-p', prefix, '-c', nginxConf],
        logFile: path.join(prefix, 'nginx.out.log'),
        ready: () => answers(`${url}/_matrix/client/versions`),
      }),
    );
    return { url, main, children, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** nginx's body limit: a little over Synapse's upload limit ("10485760", "25M"), so Synapse answers 413 itself. */
export function proxyBodyLimit(maxUploadSize: string | undefined): string {
  const match = /^(\d+)([KMG]?)$/i.exec(maxUploadSize ?? '25M');
  const factor = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match?.[2] ?? 'M').toUpperCase()] ?? 1024 ** 2;
  const bytes = match ? Number(match[1]) * factor : 25 * 1024 ** 2;
  return `${Math.ceil(bytes / 1024 ** 2) + 1}m`;
}
