/**
 * One-shot set-up for docker-compose: generates the secrets (first run only), the appservice
 * registration and Synapse's homeserver.yaml (PostgreSQL, listening on all interfaces inside the
 * compose network) into the volumes the other services mount; for the `production` profile also
 * the topology's configs (production/: main's homeserver.yaml with workers and Redis, each
 * worker's config) and nginx.conf, from synapse/src/topology.ts as laid out in
 * scripts/lib/compose-topology.ts. Everything holding a secret is 0600 and owned by the one
 * container user that reads it.
 *   node scripts/compose-init.ts --synapse-data /data --nginx /nginx
 * SYNAPSE_X_FORWARDED=true only when Synapse is reachable through a trusted reverse proxy alone.
 */
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { newSigningKey, renderHomeserverConfig, renderLogConfig } from '@chattigo/synapse';
import { loadConfig } from '../appservice/src/config/load.ts';
import { loadSecrets } from '../appservice/src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../appservice/src/matrix/registration.ts';
import {
  composeNginxConfig,
  composeWorkerConfig,
  composeWorkerOwnConfig,
  NGINX_DIR,
  PORTS,
  productionDir,
  productionHomeserver,
  SYNAPSE_DATA,
  WORKERS,
  workerConfigFile,
  workerLogConfigFile,
} from './lib/compose-topology.ts';

const { values } = parseArgs({
  options: { 'synapse-data': { type: 'string', default: SYNAPSE_DATA }, nginx: { type: 'string', default: NGINX_DIR } },
});
const dataDir = values['synapse-data'];
const nginxDir = values.nginx;
const synapseDb = process.env['SYNAPSE_DATABASE_URL'];
if (!synapseDb) throw new Error('SYNAPSE_DATABASE_URL must be set (postgres://user:password@host/db)');

const xForwarded = process.env['SYNAPSE_X_FORWARDED'] === 'true';

/** Writes a file only its owner can read; `mode` of writeFile applies only to a new file. */
async function writePrivate(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  await chmod(file, 0o600);
}

const config = await loadConfig(process.env['CHATTIGO_CONFIG'] ?? 'config/compose.yaml');
const secrets = await loadSecrets(config.secrets.dir, { generate: true });
await chmod(config.secrets.dir, 0o700);
for (const name of await readdir(config.secrets.dir)) await chmod(path.join(config.secrets.dir, name), 0o600);
await mkdir(dataDir, { recursive: true });
const registration = path.join(dataDir, 'registration.yaml');
await writePrivate(registration, renderRegistration(config.matrix, secrets));
const homeserver = {
  ...homeserverWiring(config, secrets),
  dataDir,
  port: PORTS.mainClient,
  bindAddresses: ['0.0.0.0'],
  xForwarded,
  publicBaseUrl: process.env['SYNAPSE_PUBLIC_BASEURL'] ?? 'http://localhost:8008/',
  postgresUrl: synapseDb,
  appserviceRegistrationFiles: [registration],
};
await writePrivate(path.join(dataDir, 'homeserver.yaml'), renderHomeserverConfig(homeserver));
await writeFile(path.join(dataDir, 'log.config'), renderLogConfig(path.join(dataDir, 'homeserver.log')));
// The production profile: the same homeserver, its listeners, Redis and workers from the topology.
// Only nginx is published there, so main trusts X-Forwarded-For (set by nginx).
await mkdir(productionDir(dataDir), { recursive: true });
await writePrivate(productionHomeserver(dataDir), renderHomeserverConfig({ ...homeserver, overrides: composeWorkerConfig() }));
for (const worker of WORKERS) {
  await writePrivate(workerConfigFile(worker, dataDir), stringify(composeWorkerOwnConfig(worker, dataDir)));
  await writeFile(workerLogConfigFile(worker, dataDir), renderLogConfig(path.join(productionDir(dataDir), `${worker.name}.log`)));
}
await mkdir(nginxDir, { recursive: true });
await writeFile(path.join(nginxDir, 'nginx.conf'), composeNginxConfig(homeserver.maxUploadSize));
const signingKey = path.join(dataDir, 'signing.key');
if (!existsSync(signingKey)) await writePrivate(signingKey, newSigningKey());
await chmod(signingKey, 0o600);
// Run as root in compose: hand the files to the users of the images that read them. The
// appservice image runs as `node` (1000) and alone reads /secrets; the official Synapse image
// starts as root and drops to UID:GID 991:991 (its defaults) before running Synapse, which alone
// reads /synapse-data (registration, homeserver.yaml, signing key).
if (process.getuid?.() === 0) {
  await chown(config.secrets.dir, 1000, 1000);
  for (const name of await readdir(config.secrets.dir)) await chown(path.join(config.secrets.dir, name), 1000, 1000);
  await chown(dataDir, 991, 991);
  for (const name of await readdir(dataDir)) await chown(path.join(dataDir, name), 991, 991);
  for (const name of await readdir(productionDir(dataDir))) await chown(path.join(productionDir(dataDir), name), 991, 991);
}
process.stdout.write(`compose-init: wrote Synapse's configs and the registration into ${dataDir}, nginx.conf into ${nginxDir}\n`);
