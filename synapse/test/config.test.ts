import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHomeserverConfig } from '../src/config.ts';
import { baseOptions } from './helpers/options.ts';

describe('homeserver config', () => {
  it('is local, closed and tuned for agents by default', () => {
    const config = parse(renderHomeserverConfig(baseOptions));
    expect(config.database).toEqual({ name: 'sqlite3', args: { database: '/data/synapse/homeserver.db' } });
    expect(config.enable_registration).toBe(false);
    expect(config.listeners[0].bind_addresses).toEqual(['127.0.0.1']);
    expect(config.listeners[0].resources[0].names).toEqual(['client']);
    expect(config.federation_domain_whitelist).toEqual([]);
    expect(config.app_service_config_files).toEqual(['/data/registration.yaml']);
    expect(config.presence.enabled).toBe(true);
    expect(config.rc_message.per_second).toBeGreaterThanOrEqual(5);
    expect(config.max_upload_size).toBe('25M');
  });

  it('turns Synapse’s own password database off: the appservice checks every password', () => {
    expect(parse(renderHomeserverConfig(baseOptions)).password_config).toEqual({ localdb_enabled: false });
  });

  it('uses PostgreSQL when a URL is given', () => {
    const config = parse(renderHomeserverConfig({ ...baseOptions, postgresUrl: 'postgres://syn:pw@db:5433/synapse' }));
    expect(config.database.name).toBe('psycopg2');
    expect(config.database.args).toMatchObject({ user: 'syn', password: 'pw', dbname: 'synapse', host: 'db', port: 5433 });
  });

  it('opens federation only when asked', () => {
    const config = parse(renderHomeserverConfig({ ...baseOptions, federation: true }));
    expect(config.listeners[0].resources[0].names).toContain('federation');
    expect(config.federation_domain_whitelist).toBeUndefined();
  });
});

describe('signing key', () => {
  it('has the form Synapse reads: algorithm, key id, 32-byte seed in unpadded base64', async () => {
    const { newSigningKey } = await import('../src/signing-key.ts');
    const [algorithm, keyId, seed, ...rest] = newSigningKey().trim().split(' ');
    expect(algorithm).toBe('ed25519');
    expect(keyId).toMatch(/^a_[A-Za-z0-9_-]{4}$/);
    expect(rest).toEqual([]);
    expect(seed).not.toContain('=');
    expect(Buffer.from(seed ?? '', 'base64')).toHaveLength(32);
  });
});

describe('password auth module', () => {
  it('is configured only when asked, pointing at the appservice', () => {
    expect(parse(renderHomeserverConfig(baseOptions)).modules).toBeUndefined();
    const config = parse(
      renderHomeserverConfig({ ...baseOptions, passwordAuth: { endpoint: 'http://127.0.0.1:9000/_chattigo/auth/check', secret: 'x' } }),
    );
    expect(config.modules).toEqual([
      {
        module: 'chattigo_auth.ChattigoPasswordProvider',
        config: { endpoint: 'http://127.0.0.1:9000/_chattigo/auth/check', secret: 'x' },
      },
    ]);
  });
});

describe('policy module', () => {
  it('is listed after the password-auth module, with its config in snake case', () => {
    const config = parse(
      renderHomeserverConfig({
        ...baseOptions,
        passwordAuth: { endpoint: 'http://127.0.0.1:9000/_chattigo/auth/check', secret: 'x' },
        policy: {
          mediaEndpoint: 'http://127.0.0.1:9000/_chattigo/policy/media',
          secret: 'x',
          maxBytes: 1024,
          userPrefix: 'chattigo_',
          botUserId: '@chattigo:chattigo.localhost',
        },
      }),
    );
    expect(config.modules.map((m: { module: string }) => m.module)).toEqual([
      'chattigo_auth.ChattigoPasswordProvider',
      'chattigo_policy.ChattigoPolicy',
    ]);
    expect(config.modules[1].config).toEqual({
      media_endpoint: 'http://127.0.0.1:9000/_chattigo/policy/media',
      secret: 'x',
      max_bytes: 1024,
      user_prefix: 'chattigo_',
      bot_user_id: '@chattigo:chattigo.localhost',
    });
  });
});
