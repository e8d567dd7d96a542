import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { message } from '../i18n/index.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares two secrets in time that does not depend on where they differ, nor on their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The bearer token of a request (header, or the legacy `access_token` query parameter). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.['access_token'];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/** Refuses a request that does not carry `expected`: 401 when no token, 403 when a wrong one. */
export function requireToken(request: FastifyRequest, expected: string): void {
  const token = bearerToken(request);
  if (token === undefined) {
    throw new AppError(401, 'M_MISSING_TOKEN', message('http.missingToken'));
  }
  if (!secretsEqual(token, expected)) {
    throw new AppError(403, 'M_FORBIDDEN', message('http.invalidToken'));
  }
}
