import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureSynapseInstalled, startSynapse, type RunningSynapse } from '@chattigo/synapse';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/config/load.ts';
import { loadSecrets } from '../../src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../../src/matrix/registration.ts';
import { adminUrl, assertPostgresReachable } from './postgres.ts';
import { freePort } from './ports.ts';

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
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await assertPostgresReachable();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-it-'));
  let synapse: RunningSynapse | undefined;
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
    const venv = await ensureSynapseInstalled(undefined, 'ignore');
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
    const registration = path.join(workDir, 'registration.yaml');
    await writeFile(registration, renderRegistration(config.matrix, secrets));
    synapse = await startSynapse({
      venv,
      ...homeserverWiring(config, secrets),
      dataDir: path.join(workDir, 'synapse'),
      port: synapsePort,
      appserviceRegistrationFiles: [registration],
      // Every test logs in from 127.0.0.1: a generous per-address limit, the real per-account ones.
      overrides: {
        rc_login: {
          address: { per_second: 50, burst_count: 1000 },
          account: { per_second: 0.5, burst_count: 10 },
          failed_attempts: { per_second: 0.05, burst_count: 5 },
        },
      },
    });
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
    if (!process.env['CHATTIGO_KEEP_TEST_DIR']) await rm(workDir, { recursive: true, force: true });
  };
}
