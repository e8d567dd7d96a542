import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { ATTACHMENT_KINDS } from '@chattigo/contracts/attachment-kinds';
import { buildEmbeddedApp, type EmbeddedApp } from '../helpers/embedded-app.ts';

describe('attachments configuration', () => {
  it('allows every kind and 25 MiB (Synapse’s 25M) by default', () => {
    const config = parseConfig({}, '/srv');
    expect(config.attachments).toEqual({ allowedKinds: [...ATTACHMENT_KINDS], maxSizeBytes: 25 * 1024 * 1024 });
  });

  it('names an unknown kind or a bad size', () => {
    const problems = (input: unknown) => {
      try {
        parseConfig(input, '/srv');
        return [];
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.map((p) => p.path);
        throw err;
      }
    };
    expect(problems({ attachments: { allowedKinds: ['pdf', 'exe'] } })).toEqual(['attachments.allowedKinds.1']);
    expect(problems({ attachments: { maxSizeBytes: -1 } })).toEqual(['attachments.maxSizeBytes']);
    expect(problems({ attachments: { allowedKinds: ['pdf', 'pdf'] } })).toEqual(['attachments.allowedKinds']);
  });
});

describe('GET /api/v1/attachments/policy', () => {
  let t: EmbeddedApp;
  beforeAll(async () => {
    t = await buildEmbeddedApp();
    await t.db.query(`INSERT INTO accounts (username, display_name) VALUES ('ana', 'Ana'), ('bruno', 'Bruno')`);
    await t.db.query(`UPDATE accounts SET active = false WHERE username = 'bruno'`);
  });
  afterAll(async () => {
    await t.close();
  });

  const token = (sub: string) => t.app.server.jwt.sign({ sub, uid: `@chattigo_${sub}:chattigo.localhost`, role: 'agent' });

  it('tells an agent which files are allowed and how large they may be', async () => {
    const response = await t.app.server.inject({ url: '/api/v1/attachments/policy', headers: { authorization: `Bearer ${token('ana')}` } });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ maxSizeBytes: number; kinds: { kind: string; mime: string; extensions: string[]; image: boolean }[] }>();
    expect(body.maxSizeBytes).toBe(25 * 1024 * 1024);
    expect(body.kinds.map((k) => k.kind)).toEqual([...ATTACHMENT_KINDS]);
    expect(body.kinds.find((k) => k.kind === 'jpeg')).toEqual({ kind: 'jpeg', mime: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], image: true });
  });

  it('refuses a request without a session, or for an inactive account', async () => {
    const anonymous = await t.app.server.inject({ url: '/api/v1/attachments/policy' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const inactive = await t.app.server.inject({ url: '/api/v1/attachments/policy', headers: { authorization: `Bearer ${token('bruno')}` } });
    expect(inactive.statusCode).toBe(401);
  });
});
