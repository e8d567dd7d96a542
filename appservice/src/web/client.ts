import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const apiPrefixes = ['/_matrix/', '/_chattigo/', '/api/', '/health/', '/metrics', '/transactions/', '/users/', '/rooms/'];

/**
 * The CSP of the client's pages: only this site and the configured agent desktops
 * (`embed.allowedOrigins`) may show them in a frame.
 */
export function frameAncestorsPolicy(allowedOrigins: readonly string[]): string {
  return ["frame-ancestors 'self'", ...allowedOrigins].join(' ');
}

/**
 * Serves the built web client at `/`, with `index.html` for any other GET that is not an API
 * path (client-side routes). Without a build it answers with how to make one. HTML answers carry
 * a CSP `frame-ancestors` from `frameAncestors`.
 */
export const clientRoutes = fp<{ distDir: string; frameAncestors?: readonly string[] }>(async (app, { distDir, frameAncestors = [] }) => {
  const policy = frameAncestorsPolicy(frameAncestors);
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) void reply.header('content-security-policy', policy);
    return payload;
  });
  const index = path.join(distDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    await app.register(fastifyStatic, { root: distDir, index: 'index.html', wildcard: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = apiPrefixes.some((p) => request.url.startsWith(p));
    if (request.method !== 'GET' || isApi) {
      return reply.status(404).send({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    }
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(`The web client is not built. Run: npm run build --workspace client (expected ${index})`);
    }
    return reply.sendFile('index.html');
  });
});
