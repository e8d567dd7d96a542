import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { repoRoot } from '@chattigo/synapse';
import { loadConfig } from '../../src/config/load.ts';
import { renderComposeFile } from '../../../scripts/lib/compose-file.ts';
import { MAIN_SERVICE, NGINX_SERVICE, PORTS, WORKERS, workerService } from '../../../scripts/lib/compose-topology.ts';

const run = promisify(execFile);

interface Service {
  image?: string;
  restart?: string;
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  networks?: { default?: { aliases?: string[] } };
}

/**
 * docker-compose.yml cannot be run on these machines (no container engine), so its promises are
 * checked here: restart policies, health checks, what is published, and what init writes.
 */
describe('docker-compose.yml', () => {
  let services: Record<string, Service>;
  beforeAll(async () => {
    services = parse(await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8')).services;
  });
  const longRunning = () => Object.entries(services).filter(([name]) => name !== 'init');
  const publishedPorts = (service: Service | undefined) => (service?.ports ?? []).map((p) => Number(String(p).split(':').at(-1)));

  it('is the file scripts/compose.ts generates (node scripts/compose.ts --write)', async () => {
    expect(await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8')).toBe(await renderComposeFile());
  });

  it('has the single topology and the production one (synapse/src/topology.ts) as profiles', () => {
    const inProfile = (profile: string) => longRunning().filter(([, s]) => s.profiles?.includes(profile)).map(([name]) => name).sort();
    expect(inProfile('single')).toEqual(['appservice', 'synapse']);
    expect(inProfile('production')).toEqual(
      ['appservice-1', 'appservice-2', MAIN_SERVICE, NGINX_SERVICE, 'redis', ...WORKERS.map(workerService)].sort(),
    );
    expect(longRunning().filter(([, s]) => !s.profiles).map(([name]) => name)).toEqual(['postgres']);
  });

  it('runs each worker with its own config, checked on its own port', () => {
    for (const worker of WORKERS) {
      const service = services[workerService(worker)];
      expect(service?.entrypoint?.join(' ')).toContain(`/data/production/${worker.name}.yaml`);
      expect(service?.healthcheck?.test.join(' ')).toContain(`:${PORTS.workers[worker.name]}/health`);
    }
  });

  it('publishes nginx alone in the production profile, answering where the appservice config says Synapse is', async () => {
    const config = await loadConfig(path.join(repoRoot, 'config/compose.yaml'));
    const production = longRunning().filter(([, s]) => s.profiles?.includes('production'));
    expect(production.filter(([, s]) => publishedPorts(s).length > 0 && !s.image?.startsWith('matrixdotorg')).map(([n]) => n).sort()).toEqual([
      'appservice-1',
      'appservice-2',
      NGINX_SERVICE,
    ]);
    expect(production.filter(([, s]) => s.image?.startsWith('matrixdotorg') && publishedPorts(s).length > 0)).toEqual([]);
    expect(services[NGINX_SERVICE]?.networks?.default?.aliases).toContain(new URL(config.matrix.homeserverUrl).hostname);
    for (const replica of ['appservice-1', 'appservice-2']) {
      expect(services[replica]?.networks?.default?.aliases).toContain(new URL(config.matrix.appserviceUrl).hostname);
    }
  });

  it('restarts every long-running service unless stopped; init runs once', () => {
    for (const [name, service] of longRunning()) expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
    expect(services['init']?.restart).toBeUndefined();
  });

  it('health-checks every long-running service; the appservice through its readiness endpoint', async () => {
    for (const [name, service] of longRunning()) expect({ name, test: service.healthcheck?.test.length ?? 0 }).not.toEqual({ name, test: 0 });
    const config = await loadConfig(path.join(repoRoot, 'config/compose.yaml'));
    for (const name of ['appservice', 'appservice-1', 'appservice-2']) {
      const test = services[name]?.healthcheck?.test.join(' ') ?? '';
      expect(test).toContain(`http://127.0.0.1:${config.server.port}/health/ready`);
    }
  });

  it('does not trust X-Forwarded-For while Synapse is published directly', () => {
    const direct = publishedPorts(services['synapse']).length > 0;
    const xForwarded = services['init']?.environment?.['SYNAPSE_X_FORWARDED'];
    if (direct) expect(xForwarded).toBe('false');
  });

  it('publishes the client port of the appservice, not its metrics', async () => {
    const config = await loadConfig(path.join(repoRoot, 'config/compose.yaml'));
    expect(publishedPorts(services['appservice'])).toEqual([config.server.port]);
    for (const name of ['appservice-1', 'appservice-2']) expect(publishedPorts(services[name])).toEqual([config.server.port]);
    expect(config.metrics.port).not.toBe(config.server.port);
  });

  it('runs Synapse as the user init hands its data to', async () => {
    const init = await readFile(path.join(repoRoot, 'scripts/compose-init.ts'), 'utf8');
    const env = services['synapse']?.environment ?? {};
    expect(init).toContain(`chown(dataDir, ${env['UID']}, ${env['GID']})`);
  });
});

describe('scripts/compose-init.ts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-compose-init-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const init = async (env: Record<string, string> = {}) => {
    const compose = parse(await readFile(path.join(repoRoot, 'config/compose.yaml'), 'utf8'));
    compose.secrets.dir = path.join(dir, 'secrets');
    await writeFile(path.join(dir, 'config.yaml'), stringify(compose));
    await run(process.execPath, ['scripts/compose-init.ts', '--synapse-data', path.join(dir, 'synapse'), '--nginx', path.join(dir, 'nginx')], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        CHATTIGO_CONFIG: path.join(dir, 'config.yaml'),
        SYNAPSE_DATABASE_URL: 'postgres://synapse:synapse@postgres:5432/synapse',
        ...env,
      },
    });
    return parse(await readFile(path.join(dir, 'synapse', 'homeserver.yaml'), 'utf8'));
  };
  const mode = async (file: string) => (await stat(path.join(dir, file))).mode & 0o777;

  it('writes every secret-bearing file 0600 (also over files left world-readable by an earlier version)', async () => {
    await mkdir(path.join(dir, 'synapse'), { recursive: true });
    await writeFile(path.join(dir, 'synapse', 'registration.yaml'), 'old', { mode: 0o644 });
    const homeserver = await init();
    for (const file of ['synapse/registration.yaml', 'synapse/homeserver.yaml', 'synapse/signing.key']) {
      expect({ file, mode: (await mode(file)).toString(8) }).toEqual({ file, mode: '600' });
    }
    expect((await mode('secrets')).toString(8)).toBe('700');
    for (const name of await readdir(path.join(dir, 'secrets'))) {
      expect({ name, mode: (await mode(`secrets/${name}`)).toString(8) }).toEqual({ name, mode: '600' });
    }
    expect(homeserver.listeners[0].x_forwarded).toBe(false);
  });

  it('writes the production topology: main with workers and Redis by service name, each worker, nginx routing to them', async () => {
    await init();
    const main = parse(await readFile(path.join(dir, 'synapse', 'production', 'homeserver.yaml'), 'utf8'));
    expect(main.redis).toMatchObject({ enabled: true, host: 'redis' });
    expect(main.instance_map.main).toEqual({ host: MAIN_SERVICE, port: PORTS.mainReplication });
    expect(main.stream_writers.events).toEqual(['persister1']);
    expect(main.instance_map.persister1.host).toBe(workerService({ name: 'persister1' }));
    // Only nginx reaches main's client listener in this profile.
    expect(main.listeners[0]).toMatchObject({ port: PORTS.mainClient, x_forwarded: true, bind_addresses: ['0.0.0.0'] });
    expect(main.signing_key_path).toBe(path.join(dir, 'synapse', 'signing.key'));
    for (const worker of WORKERS) {
      const own = parse(await readFile(path.join(dir, 'synapse', 'production', `${worker.name}.yaml`), 'utf8'));
      expect(own).toMatchObject({ worker_name: worker.name, worker_listeners: [{ port: PORTS.workers[worker.name] }] });
      expect((await mode(`synapse/production/${worker.name}.yaml`)).toString(8)).toBe('600');
    }
    const nginx = await readFile(path.join(dir, 'nginx', 'nginx.conf'), 'utf8');
    expect(nginx).toContain(`server ${workerService({ name: 'sync1' })}:${PORTS.workers['sync1']};`);
    expect(nginx).toContain(`server ${MAIN_SERVICE}:${PORTS.mainClient};`);
  });

  it('trusts X-Forwarded-For only when told a reverse proxy is in front', async () => {
    expect((await init({ SYNAPSE_X_FORWARDED: 'true' })).listeners[0].x_forwarded).toBe(true);
    expect((await init({ SYNAPSE_X_FORWARDED: 'false' })).listeners[0].x_forwarded).toBe(false);
  });
});
