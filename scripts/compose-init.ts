/**
 * One-shot set-up for docker-compose: generates the secrets (first run only), the appservice
 * registration and Synapse's homeserver.yaml (PostgreSQL, listening on all interfaces inside the
 * compose network) into the volumes the other services mount.
 *   node scripts/compose-init.ts --synapse-data /synapse-data
 */
import { existsSync } from 'node:fs';
import { chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newSigningKey, renderHomeserverConfig, renderLogConfig } from '@chattigo/synapse';
import { loadConfig } from '../appservice/src/config/load.ts';
import { loadSecrets } from '../appservice/src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../appservice/src/matrix/registration.ts';

const { values } = parseArgs({ options: { 'synapse-data': { type: 'string', default: '/synapse-data' } } });
const dataDir = values['synapse-data'];
const synapseDb = process.env['SYNAPSE_DATABASE_URL'];
if (!synapseDb) throw new Error('SYNAPSE_DATABASE_URL must be set (postgres://user:password@host/db)');

const config = await loadConfig(process.env['CHATTIGO_CONFIG'] ?? 'config/compose.yaml');
const secrets = await loadSecrets(config.secrets.dir, { generate: true });
await mkdir(dataDir, { recursive: true });
const registration = path.join(dataDir, 'registration.yaml');
await writeFile(registration, renderRegistration(config.matrix, secrets), { mode: 0o644 });
await writeFile(
  path.join(dataDir, 'homeserver.yaml'),
  renderHomeserverConfig({
    ...homeserverWiring(config, secrets),
        dataDir,
    port: 8008,
    bindAddresses: ['0.0.0.0'],
    publicBaseUrl: process.env['SYNAPSE_PUBLIC_BASEURL'] ?? 'http://localhost:8008/',
    postgresUrl: synapseDb,
    appserviceRegistrationFiles: [registration],
  }),
  { mode: 0o644 },
);
await writeFile(path.join(dataDir, 'log.config'), renderLogConfig(path.join(dataDir, 'homeserver.log')));
const signingKey = path.join(dataDir, 'signing.key');
if (!existsSync(signingKey)) await writeFile(signingKey, newSigningKey(), { mode: 0o644 });
// Run as root in compose: hand the files to the users of the images that read them
// (the appservice image runs as `node`, 1000; the Synapse image as 991).
if (process.getuid?.() === 0) {
  await chown(config.secrets.dir, 1000, 1000);
  for (const name of await readdir(config.secrets.dir)) await chown(path.join(config.secrets.dir, name), 1000, 1000);
  await chown(dataDir, 991, 991);
  for (const name of await readdir(dataDir)) await chown(path.join(dataDir, name), 991, 991);
}
process.stdout.write(`compose-init: wrote Synapse config and registration into ${dataDir}\n`);
