import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { findAccount, type Role } from '../accounts/repository.ts';

export const API_AUDIENCE = 'chattigo-api';
export const JWT_ALGORITHM = 'HS256';
export const SESSION_TTL_SECONDS = 15 * 60;

/** The agent a request acts for, taken from its session token and nothing else. */
export interface Agent {
  username: string;
  userId: string;
  role: Role;
}

export interface SessionClaims {
  sub: string;
  uid: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    agent: Agent;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims;
    user: SessionClaims;
  }
}

export const unauthenticated = () =>
  new AppError(401, 'M_MISSING_TOKEN', {
    es: 'Sesión no válida o vencida; inicie sesión de nuevo.',
    en: 'Missing or expired session; log in again.',
  });

/**
 * An `onRequest` hook for routes that act for an agent: verifies the session token (one pinned
 * algorithm, audience and expiry checked) and that the account is still active.
 */
export function requireAgent(db: Database) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    let claims: SessionClaims;
    try {
      claims = await request.jwtVerify<SessionClaims>();
    } catch {
      throw unauthenticated();
    }
    const account = await findAccount(db, claims.sub);
    if (!account?.active) throw unauthenticated();
    request.agent = { username: account.username, userId: claims.uid, role: account.role };
  };
}

export function requireRole(...roles: Role[]) {
  return async function authorize(request: FastifyRequest): Promise<void> {
    if (!roles.includes(request.agent.role)) {
      throw new AppError(403, 'M_FORBIDDEN', { es: 'No tiene permiso para esto.', en: 'You are not allowed to do this.' });
    }
  };
}
