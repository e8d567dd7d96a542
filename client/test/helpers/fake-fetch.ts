import { vi } from 'vitest';

/** One answer of the fake server: a JSON body and a status (200 unless said). */
export interface Answer {
  status?: number;
  body: unknown;
}

export interface Call {
  method: string;
  /** Path and query, e.g. `/api/v1/directory?status=active&limit=25&offset=0`. */
  url: string;
  body: unknown;
}

type Handler = (call: Call, url: URL) => Answer | Promise<Answer>;

/**
 * Replaces the global `fetch` with a table of `METHOD /path` handlers (the query string is not
 * part of the key), records every call, and answers 404 `M_NOT_FOUND` for anything else. Honours
 * an aborted signal like the real one.
 */
export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://client.test');
    const method = init.method ?? 'GET';
    const call: Call = { method, url: url.pathname + url.search, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined };
    calls.push(call);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const handler = routes[`${method} ${url.pathname}`];
    const answer = handler ? await handler(call, url) : { status: 404, body: { errcode: 'M_NOT_FOUND', error: 'no such route' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    /** The calls to `METHOD /path` so far. */
    to: (key: string) => calls.filter((c) => `${c.method} ${c.url.split('?')[0]}` === key),
  };
}

export const account = { username: 'ana', userId: '@chattigo_ana:chattigo.test', displayName: 'Ana Pérez', role: 'agent' as const, campaigns: ['ventas'] };
export const clientConfig = {
  homeserverUrl: 'http://hs.test',
  serverName: 'chattigo.test',
  userPrefix: 'chattigo_',
  botUserId: '@chattigo:chattigo.test',
  embedAllowedOrigins: ['http://desk.test'],
};
export const credentials = { homeserverUrl: 'http://hs.test', userId: account.userId, deviceId: 'DEV', accessToken: 'matrix-token' };
export const apiSession = (token = 'api-token') => ({ token, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(), account });
