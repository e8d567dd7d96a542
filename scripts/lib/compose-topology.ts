/**
 * Synapse's production topology (synapse/src/topology.ts) laid out as docker-compose services:
 * their names, the ports they listen on inside the compose network, and where init writes their
 * configs. Both `scripts/compose.ts` (the services of docker-compose.yml's `production` profile)
 * and `scripts/compose-init.ts` (the configs those services read) take them from here.
 */
import path from 'node:path';
import {
  PRODUCTION_WORKERS,
  proxyBodyLimit,
  renderNginxConfig,
  sharedWorkerConfig,
  workerConfig,
  type TopologyPorts,
  type WorkerSpec,
} from '@chattigo/synapse';

export const WORKERS: readonly WorkerSpec[] = PRODUCTION_WORKERS;
export const REDIS = { host: 'redis', port: 6379 };
/** Synapse's main process: its client listener (nginx's default upstream) and replication listener. */
export const MAIN_SERVICE = 'synapse-main';
export const NGINX_SERVICE = 'nginx';
/** Published port of nginx (the single topology publishes Synapse itself there). */
export const SYNAPSE_PUBLIC_PORT = 8008;
export const PORTS: TopologyPorts = {
  mainClient: 8008,
  mainReplication: 9093,
  workers: Object.fromEntries(WORKERS.map((w, i) => [w.name, 8081 + i])),
};
export const workerService = (worker: Pick<WorkerSpec, 'name'>) => `synapse-${worker.name}`;
/** The compose service a process of the topology runs in (`main` or a worker's name). */
export const serviceOf = (process: string) => (process === 'main' ? MAIN_SERVICE : workerService({ name: process }));

/** Where the synapse-data volume is mounted, in init and in every Synapse container. */
export const SYNAPSE_DATA = '/data';
/** The topology's own files, in the synapse-data volume (the single topology's are at its top). */
export const productionDir = (dataDir = SYNAPSE_DATA) => path.posix.join(dataDir, 'production');
export const productionHomeserver = (dataDir = SYNAPSE_DATA) => path.posix.join(productionDir(dataDir), 'homeserver.yaml');
export const workerConfigFile = (worker: Pick<WorkerSpec, 'name'>, dataDir = SYNAPSE_DATA) =>
  path.posix.join(productionDir(dataDir), `${worker.name}.yaml`);
export const workerLogConfigFile = (worker: Pick<WorkerSpec, 'name'>, dataDir = SYNAPSE_DATA) =>
  path.posix.join(productionDir(dataDir), `${worker.name}.log.config`);
/** The nginx-config volume, mounted here in init and in nginx. */
export const NGINX_DIR = '/nginx';

/** What the shared homeserver.yaml gains in compose: the processes find each other by service name. */
export function composeWorkerConfig() {
  return sharedWorkerConfig({ ports: PORTS, redis: REDIS, host: '0.0.0.0', workers: WORKERS, addressOf: serviceOf });
}

/** One worker's own config in compose. */
export function composeWorkerOwnConfig(worker: WorkerSpec, dataDir = SYNAPSE_DATA) {
  return workerConfig(worker, { port: PORTS.workers[worker.name] ?? 0, host: '0.0.0.0', logConfig: workerLogConfigFile(worker, dataDir) });
}

/** nginx's config in compose: routes to the workers' services, everything else to main's. */
export function composeNginxConfig(maxUploadSize: string): string {
  return renderNginxConfig({
    listen: { host: '0.0.0.0', port: SYNAPSE_PUBLIC_PORT },
    main: { host: MAIN_SERVICE, port: PORTS.mainClient },
    workers: WORKERS.filter((w) => w.serves).map((w) => ({ ...w, address: { host: workerService(w), port: PORTS.workers[w.name] ?? 0 } })),
    prefix: '/tmp',
    maxBodySize: proxyBodyLimit(maxUploadSize),
  });
}
