import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureSynapseInstalled, startSynapse } from '../../synapse/src/index.ts';
import { parseConfig } from '../../appservice/src/config/load.ts';
import { loadSecrets } from '../../appservice/src/config/secrets.ts';
import { hashPassword } from '../../appservice/src/features/accounts/passwords.ts';
import { homeserverWiring, renderRegistration } from '../../appservice/src/matrix/registration.ts';
import { createLogger } from '../../appservice/src/observability/logger.ts';
import { startAppservice } from '../../appservice/src/server.ts';
import { freePort } from '../../appservice/test/helpers/ports.ts';

export interface LocalStack {
  /** The appservice, serving the built client. */
  url: string;
  homeserverUrl: string;
  stop(): Promise<void>;
}

export interface StackAgent {
  username: string;
  displayName: string;
  campaigns: string[];
}

/**
 * A real stack on loopback for the client benchmark, outside any test runner: a Synapse from the
 * project's virtualenv and the appservice on its embedded database (in memory), serving
 * `distDir`, with `agents` (all with `password`) and typifications imported through the
 * provisioning API.
 */
export async function startLocalStack(options: {
  distDir: string;
  agents: readonly StackAgent[];
  password: string;
  typifications?: readonly { campaign: string; code: string; label: string }[];
}): Promise<LocalStack> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-bench-'));
  const [synapsePort, appservicePort] = [await freePort(), await freePort()];
  const secrets = await loadSecrets(path.join(workDir, 'secrets'), { generate: true });
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: appservicePort, publicUrl: `http://127.0.0.1:${appservicePort}` },
      matrix: { serverName: 'chattigo.bench', homeserverUrl: `http://127.0.0.1:${synapsePort}`, appserviceUrl: `http://127.0.0.1:${appservicePort}` },
      database: { embeddedDir: 'memory://' },
      secrets: { dir: path.join(workDir, 'secrets') },
      client: { distDir: options.distDir },
      log: { level: 'warn' },
      mail: { outboxDir: path.join(workDir, 'mail') },
      metrics: { port: 0 },
    },
    workDir,
  );
  const registration = path.join(workDir, 'registration.yaml');
  await writeFile(registration, renderRegistration(config.matrix, secrets));
  const synapse = await startSynapse({
    venv: await ensureSynapseInstalled(undefined, 'ignore'),
    ...homeserverWiring(config, secrets),
    dataDir: path.join(workDir, 'synapse'),
    port: synapsePort,
    appserviceRegistrationFiles: [registration],
    // The benchmark logs in again and again from one address.
    overrides: { rc_login: { address: { per_second: 50, burst_count: 1000 }, account: { per_second: 50, burst_count: 1000 } } },
  });
  const stopAll = async () => {
    await synapse.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const appservice = await startAppservice(config, { log: createLogger('warn') });
    const passwordHash = await hashPassword(options.password);
    const response = await fetch(`${appservice.url}/api/v1/provisioning/directory`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secrets.provisioning_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        campaigns: [
          { id: 'ventas', name: 'Ventas' },
          { id: 'soporte', name: 'Soporte técnico' },
        ],
        accounts: options.agents.map((a) => ({ ...a, role: 'agent', passwordHash })),
        typifications: options.typifications ?? [],
      }),
    });
    if (!response.ok) throw new Error(`directory import failed: ${response.status} ${await response.text()}`);
    return {
      url: appservice.url,
      homeserverUrl: synapse.url,
      async stop() {
        await appservice.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
