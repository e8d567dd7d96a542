import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.ts';
import { renderSampleConfig } from '../../src/config/sample.ts';
import { loadSecrets, SecretsError, secretNames } from '../../src/config/secrets.ts';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'chattigo-config-'));

function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input, '/srv');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('fills every default and resolves relative paths against the config folder', () => {
    const config = parseConfig({}, '/srv/chattigo/config');
    expect(config.server.port).toBe(9000);
    expect(config.matrix.userPrefix).toBe('chattigo_');
    expect(config.secrets.dir).toBe('/srv/chattigo/.local/secrets');
    expect(config.database.embeddedDir).toBe('/srv/chattigo/.local/data/pglite');
    expect(config.database.url).toBeUndefined();
  });

  it('names the bad field and says what is expected', () => {
    expect(problemsOf({ matrix: { homeserverUrl: 'not a url' } })).toEqual(['matrix.homeserverUrl: must be a URL']);
    expect(problemsOf({ server: { port: 70000 } })).toEqual(['server.port: must be <= 65535']);
    expect(problemsOf({ matrix: { homeservrUrl: 'http://x' } })).toEqual([
      'matrix.homeservrUrl: unknown field; remove it or check its spelling',
    ]);
    expect(problemsOf({ database: { url: 'mysql://x' } })[0]).toMatch(/^database\.url: /);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ server: { port: 'x' }, log: { level: 'loud' } }).map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['server.port', 'log.level']),
    );
  });

  it('loads a YAML file and explains a missing one or a YAML syntax error', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'config.yaml');
    await expect(loadConfig(file)).rejects.toThrow(/not found; copy config\/config.sample.yaml/);
    await writeFile(file, 'server:\n  port: [1,\n');
    await expect(loadConfig(file)).rejects.toThrow(/\(yaml\)/);
    await writeFile(file, 'matrix:\n  serverName: chattigo.example\n');
    expect((await loadConfig(file)).matrix.serverName).toBe('chattigo.example');
  });

  it('has a committed sample that matches the schema and is itself valid', async () => {
    const committed = await readFile(path.resolve(import.meta.dirname, '../../../config/config.sample.yaml'), 'utf8');
    expect(committed).toBe(renderSampleConfig());
    const dir = await tmp();
    await writeFile(path.join(dir, 'c.yaml'), committed);
    await expect(loadConfig(path.join(dir, 'c.yaml'))).resolves.toBeDefined();
  });
});

describe('secrets', () => {
  it('generates missing secrets once, private to the owner, and reuses them', async () => {
    const dir = path.join(await tmp(), 'secrets');
    const first = await loadSecrets(dir, { generate: true, env: {} });
    const second = await loadSecrets(dir, { generate: true, env: {} });
    expect(second).toEqual(first);
    expect(new Set(secretNames.map((n) => first[n])).size).toBe(secretNames.length);
    expect((await stat(path.join(dir, 'as_token'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to run without a secret unless told to generate it, naming the file and variable', async () => {
    const dir = await tmp();
    await expect(loadSecrets(dir, { generate: false, env: {} })).rejects.toThrow(SecretsError);
    await expect(loadSecrets(dir, { generate: false, env: {} })).rejects.toThrow(/CHATTIGO_SECRET_AS_TOKEN/);
  });

  it('takes a secret from the environment over the file', async () => {
    const dir = await tmp();
    const env = { CHATTIGO_SECRET_HS_TOKEN: 'from-the-environment-1234' };
    const secrets = await loadSecrets(dir, { generate: true, env });
    expect(secrets.hs_token).toBe('from-the-environment-1234');
  });
});
