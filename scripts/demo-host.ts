/**
 * The demo agent desktop for `./dev up` (and the embed e2e test): a tiny HTTP server on another
 * origin than the chat, serving config/demo/host.html, which embeds the chat in an iframe as the
 * Chattigo desktop would. It holds the provisioning token and asks the appservice for login codes
 * itself (`POST /demo/login-code`); the browser never sees the token. It also plays the platform's
 * context provider with demo data (`GET /demo/context/<conversationId>`, service token required),
 * used when `platform.contextUrl` is not configured. Local demo only: it binds to loopback.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { demoContext } from '../appservice/src/features/context/provider.ts';
import { secretsEqual } from '../appservice/src/matrix/auth.ts';

const hostPage = path.join(import.meta.dirname, '..', 'config', 'demo', 'host.html');

export interface DemoHostOptions {
  /** Loopback address and port; the page's origin is `http://<host>:<port>`. */
  host: string;
  port: number;
  /** Where this server reaches the appservice (provisioning API). */
  appserviceUrl: string;
  /** The chat as browsers reach it (`server.publicUrl`): the iframe's origin. */
  chatUrl: string;
  provisioningToken: string;
  /** Agents offered in the page's picker. */
  agents: readonly { username: string; displayName: string }[];
}

export interface DemoHost {
  origin: string;
  /** `platform.contextUrl` of the stub provider. */
  contextUrl: string;
  stop(): Promise<void>;
}

export function demoHostOrigin(host: string, port: number): string {
  return `http://${host}:${port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) throw new Error('body too large');
  }
  return JSON.parse(text) as unknown;
}

export async function startDemoHost(options: DemoHostOptions): Promise<DemoHost> {
  const origin = demoHostOrigin(options.host, options.port);
  const chatOrigin = new URL(options.chatUrl).origin;
  const known = new Set(options.agents.map((a) => a.username));

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => json(res, 500, { error: 'demo host failed' }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/host.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(await readFile(hostPage));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/demo/config') {
      json(res, 200, { chatOrigin, agents: options.agents });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/demo/login-code') {
      const body = await readJson(req).catch(() => null);
      const username = typeof body === 'object' && body !== null && 'username' in body ? body.username : undefined;
      if (typeof username !== 'string' || !known.has(username)) {
        json(res, 400, { error: 'username: not one of the demo agents' });
        return;
      }
      const answer = await fetch(`${options.appserviceUrl}/api/v1/provisioning/accounts/${encodeURIComponent(username)}/login-code`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.provisioningToken}` },
      });
      const issued = (await answer.json()) as { url?: string; error?: string };
      if (!answer.ok || typeof issued.url !== 'string') {
        json(res, 502, { error: issued.error ?? `appservice answered ${answer.status}` });
        return;
      }
      // Embed mode for the session, then the code in the fragment.
      const link = new URL(issued.url);
      link.searchParams.set('embed', '1');
      json(res, 200, { url: link.toString() });
      return;
    }
    const contextPath = /^\/demo\/context\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && contextPath?.[1]) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !secretsEqual(auth.slice(7), options.provisioningToken)) {
        json(res, 403, { error: 'service token required' });
        return;
      }
      json(res, 200, demoContext(decodeURIComponent(contextPath[1])));
      return;
    }
    json(res, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    origin,
    contextUrl: `${origin}/demo/context/{conversationId}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
