import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextUrlFor, demoContext, httpContextProvider } from '../../src/features/context/provider.ts';
import { formatStartedAt } from '../../src/features/context/service.ts';

const summary = {
  customerName: 'María González',
  channel: 'WhatsApp',
  campaign: 'Ventas Hogar',
  startedAt: '2026-12-01T14:05:00.000Z',
  link: 'https://platform.example/conversations/c-1',
};

describe('the platform context provider', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; authorization: string | undefined }[] = [];
  const routes: Record<string, (res: ServerResponse) => void> = {
    '/ok': (res) => res.end(JSON.stringify(summary)),
    '/slow': (res) => void setTimeout(() => res.end(JSON.stringify(summary)), 1500),
    '/bad': (res) => res.end(JSON.stringify({ ...summary, startedAt: 'yesterday', link: 'javascript:alert(1)' })),
    '/missing': (res) => res.end(JSON.stringify({ customerName: 'Sin canal' })),
    '/not-json': (res) => res.end('<html>'),
    '/error': (res) => {
      res.statusCode = 503;
      res.end();
    },
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      (routes[url.pathname] ?? routes['/error'])?.(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const provider = (path: string, timeoutMs = 300) => httpContextProvider({ url: `${base}${path}`, token: 'service-token', timeoutMs });

  it('returns a valid summary, asked with the service token', async () => {
    expect(await provider('/ok').fetch('c-1')).toEqual({ ok: true, context: summary });
    expect(seen.at(-1)).toEqual({ url: '/ok?conversationId=c-1', authorization: 'Bearer service-token' });
  });

  it('gives up after the timeout and says so', async () => {
    const started = Date.now();
    const result = await provider('/slow', 200).fetch('c-1');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toEqual({ ok: false, reason: 'no answer within 200 ms' });
  });

  it('refuses a payload that does not fit the schema, naming the fields', async () => {
    const bad = await provider('/bad').fetch('c-1');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/startedAt.*link|link.*startedAt/);
    const missing = await provider('/missing').fetch('c-1');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.reason).toContain('channel: is required');
    expect(await provider('/not-json').fetch('c-1')).toEqual({ ok: false, reason: 'platform answer is not JSON' });
    expect(await provider('/error').fetch('c-1')).toEqual({ ok: false, reason: 'platform answered HTTP 503' });
  });

  it('reports an unreachable platform without throwing', async () => {
    const result = await httpContextProvider({ url: 'http://127.0.0.1:1/context', token: 't', timeoutMs: 500 }).fetch('c-1');
    expect(result.ok).toBe(false);
  });

  it('fills {conversationId} in the URL (encoded), or adds it as a query parameter', () => {
    expect(contextUrlFor('https://p.example/api/conversations/{conversationId}/summary', 'a b/c')).toBe(
      'https://p.example/api/conversations/a%20b%2Fc/summary',
    );
    expect(contextUrlFor('https://p.example/ctx?x=1', 'c-9')).toBe('https://p.example/ctx?x=1&conversationId=c-9');
  });

  it('demo data and the notice’s time format', () => {
    expect(demoContext('c-1', Date.parse('2026-12-01T15:00:00Z')).link).toContain('c-1');
    expect(formatStartedAt('es', summary.startedAt)).toBe('01-12-26, 14:05 UTC');
    expect(formatStartedAt('en', summary.startedAt)).toBe('01/12/2026, 14:05 UTC');
  });
});
