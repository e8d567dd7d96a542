import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const secretNames = [
  'as_token',
  'hs_token',
  'jwt_key',
  'provisioning_token',
  'synapse_shared_secret',
  'synapse_macaroon_secret',
  'synapse_form_secret',
  'synapse_auth_secret',
] as const;

export type SecretName = (typeof secretNames)[number];
export type Secrets = Readonly<Record<SecretName, string>>;

export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsError';
  }
}

export function secretEnvName(name: SecretName): string {
  return `CHATTIGO_SECRET_${name.toUpperCase()}`;
}

/**
 * Loads every secret: from CHATTIGO_SECRET_<NAME> when set, else from `<dir>/<name>`. With
 * `generate`, a missing file is created with a fresh random value (mode 0600), so a first local
 * run needs no manual step; without it, a missing secret is an error naming the file and variable.
 */
export async function loadSecrets(
  dir: string,
  options: { generate: boolean; env?: NodeJS.ProcessEnv } = { generate: false },
): Promise<Secrets> {
  const env = options.env ?? process.env;
  const values = {} as Record<SecretName, string>;
  for (const name of secretNames) {
    const fromEnv = env[secretEnvName(name)];
    if (fromEnv !== undefined && fromEnv !== '') {
      values[name] = fromEnv;
      continue;
    }
    const file = path.join(dir, name);
    try {
      values[name] = (await readFile(file, 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!options.generate) {
        throw new SecretsError(
          `secret ${name} is missing: create ${file} or set ${secretEnvName(name)}`,
        );
      }
      await mkdir(dir, { recursive: true, mode: 0o700 });
      values[name] = randomBytes(32).toString('base64url');
      await writeFile(file, `${values[name]}\n`, { mode: 0o600, flag: 'wx' });
    }
    if (values[name].length < 16) {
      throw new SecretsError(`secret ${name} is too short: use at least 16 characters`);
    }
  }
  return Object.freeze(values);
}
