import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientRoutes } from '../../src/web/client.ts';

describe('the client’s pages may be framed only by the configured agent desktops', () => {
  it('sends frame-ancestors from embed.allowedOrigins on HTML answers, not on other files', async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'chattigo-dist-'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(path.join(dist, 'app.js'), 'export {}');
    const app = Fastify();
    await app.register(clientRoutes, { distDir: dist, frameAncestors: ['https://desk.chattigo.com'] });
    for (const url of ['/', '/ingresar', '/chats']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-security-policy']).toBe("frame-ancestors 'self' https://desk.chattigo.com");
    }
    const script = await app.inject({ method: 'GET', url: '/app.js' });
    expect(script.headers['content-security-policy']).toBeUndefined();
    await app.close();

    const closed = Fastify();
    await closed.register(clientRoutes, { distDir: dist });
    expect((await closed.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toBe("frame-ancestors 'self'");
    await closed.close();
  });
});
