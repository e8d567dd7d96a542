import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startProductionSynapse, startSynapse } from '@chattigo/synapse';
import { ensureDatabase } from '../../../scripts/lib/postgres-db.ts';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/config/load.ts';
import { loadSecrets } from '../../src/config/secrets.ts';
import { adminUrl, assertPostgresReachable, dropTestDatabase } from './postgres.ts';
import { freePort } from './ports.ts';
import { synapseOptions } from './synapse-wiring.ts';

/**
 * Synapse's upload limit in the test stack, below the default 25 MiB on purpose: Synapse answers an
 * over-limit upload with 413 only while its limit is under its 12.5 MiB (200 × 64 KiB) request-size
 * baseline; above that it drops the connection instead, and the 413 could not be tested.
 */
const TEST_UPLOAD_LIMIT = 10 * 1024 * 1024;

export interface TestStack {
  /** Synapse's client-server URL. */
  homeserverUrl: string;
  serverName: string;
  /** The port the appservice must listen on: Synapse's registration points there. */
  appservicePort: number;
  secretsDir: string;
  postgresAdminUrl: string;
  workDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}

/**
 * Starts what the integration tests talk to: a real Synapse (from the project's virtualenv, on
 * SQLite, in a temporary folder) and a check that PostgreSQL answers. An existing Synapse is used
 * instead when CHATTIGO_TEST_SYNAPSE_URL is set, together with CHATTIGO_TEST_SERVER_NAME,
 * CHATTIGO_TEST_AS_PORT and CHATTIGO_TEST_SECRETS_DIR (the secrets its registration was made with).
 */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setUpStack(project, 'single');
}

/**
 * The stack for the tests: `single` is one Synapse process on SQLite (as `./dev up` runs it);
 * `production` is the production topology (synapse/src/production.ts) on a new PostgreSQL database.
 */
export async function setUpStack(project: TestProject, topology: 'single' | 'production'): Promise<() => Promise<void>> {
  await assertPostgresReachable();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-it-'));
  let synapse: { url: string; stop(): Promise<void> } | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let stack: TestStack;

  const external = process.env['CHATTIGO_TEST_SYNAPSE_URL'];
  if (external) {
    const need = (name: string) => {
      const value = process.env[name];
      if (!value) throw new Error(`CHATTIGO_TEST_SYNAPSE_URL is set, so ${name} must be set too`);
      return value;
    };
    stack = {
      homeserverUrl: external,
      serverName: need('CHATTIGO_TEST_SERVER_NAME'),
      appservicePort: Number(need('CHATTIGO_TEST_AS_PORT')),
      secretsDir: need('CHATTIGO_TEST_SECRETS_DIR'),
      postgresAdminUrl: adminUrl(),
      workDir,
    };
  } else {
    const [synapsePort, appservicePort] = [await freePort(), await freePort()];
    const secretsDir = path.join(workDir, 'secrets');
    const secrets = await loadSecrets(secretsDir, { generate: true });
    const serverName = 'chattigo.test';
    const config = parseConfig(
      {
        matrix: { serverName, homeserverUrl: `http://127.0.0.1:${synapsePort}`, appserviceUrl: `http://127.0.0.1:${appservicePort}` },
        attachments: { maxSizeBytes: TEST_UPLOAD_LIMIT },
      },
      workDir,
    );
    // The real per-account login limit (the login tests check it).
    const options = await synapseOptions({ workDir, config, secrets, port: synapsePort, accountLogins: { per_second: 0.5, burst_count: 10 } });
    if (topology === 'production') {
      const name = `chattigo_it_synapse_${Date.now().toString(36)}`;
      const postgresUrl = await ensureDatabase(adminUrl(), name);
      dropDatabase = () => dropTestDatabase(name);
      synapse = await startProductionSynapse({ ...options, postgresUrl });
    } else {
      synapse = await startSynapse(options);
    }
    stack = {
      homeserverUrl: synapse.url,
      serverName,
      appservicePort,
      secretsDir,
      postgresAdminUrl: adminUrl(),
      workDir,
    };
  }
  project.provide('stack', stack);

  return async () => {
    await synapse?.stop();
    await dropDatabase?.().catch(() => undefined);
    if (!process.env['CHATTIGO_KEEP_TEST_DIR']) await rm(workDir, { recursive: true, force: true });
  };
}
