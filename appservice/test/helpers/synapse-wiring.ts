import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureSynapseInstalled, type StartSynapseOptions } from '@chattigo/synapse';
import type { Config } from '../../src/config/schema.ts';
import type { Secrets } from '../../src/config/secrets.ts';
import { homeserverWiring, renderRegistration } from '../../src/matrix/registration.ts';

/**
 * A test Synapse wired to the appservice `config` describes, as `./dev up` wires it: the
 * appservice's registration written into `workDir`, Synapse's data in `workDir/synapse`, on
 * `port`, from the project's virtualenv. Used by the integration stack (global-setup.ts) and the
 * fault tests' stack.
 */
export async function synapseOptions(options: {
  workDir: string;
  config: Config;
  secrets: Secrets;
  port: number;
  /** Per-account login limit: the real one, or a generous one where many logins are the point. */
  accountLogins: { per_second: number; burst_count: number };
  overrides?: Record<string, unknown>;
}): Promise<StartSynapseOptions> {
  const registration = path.join(options.workDir, 'registration.yaml');
  await writeFile(registration, renderRegistration(options.config.matrix, options.secrets));
  return {
    venv: await ensureSynapseInstalled(undefined, 'ignore'),
    ...homeserverWiring(options.config, options.secrets),
    dataDir: path.join(options.workDir, 'synapse'),
    port: options.port,
    appserviceRegistrationFiles: [registration],
    overrides: {
      // Every test logs in from 127.0.0.1: a generous per-address limit.
      rc_login: {
        address: { per_second: 50, burst_count: 1000 },
        account: options.accountLogins,
        failed_attempts: { per_second: 0.05, burst_count: 5 },
      },
      ...options.overrides,
    },
  };
}
