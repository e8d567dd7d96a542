import fastifyJwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { Role } from '@chattigo/contracts/roles';
import { bearerToken } from '../../matrix/auth.ts';
import type { Account, AccountRepository } from '../accounts/index.ts';

export const API_AUDIENCE = 'chattigo-api';
export const JWT_ALGORITHM = 'HS256';
export const SESSION_TTL_SECONDS = 15 * 60;
/** A token without these is refused (fast-jwt only checks the claims a token has). */
export const REQUIRED_CLAIMS = ['aud', 'exp', 'iat', 'sub'];

/** The agent a request acts for, taken from its session token and nothing else. */
export interface Agent {
  username: string;
  userId: string;
  role: Role;
  /** When the session token was issued, and when it expires (epoch ms). */
  issuedAt: number;
  expiresAt: number;
}

export interface SessionClaims {
  sub: string;
  uid: string;
  role: Role;
  /**
   * When the token was issued, in milliseconds: `iat` has whole seconds, too coarse to tell a
   * token issued just before a password reset from one issued just after it.
   */
  iat_ms?: number;
}

/** What a verified token carries: our claims and the registered ones `REQUIRED_CLAIMS` ensure. */
export interface VerifiedClaims extends SessionClaims {
  iat: number;
  exp: number;
  aud: string | string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.authenticate`. */
    agent: Agent;
  }
  interface FastifyInstance {
    /** The `onRequest` hook of routes that act for an agent (authPlugin). */
    authenticate(request: FastifyRequest): Promise<void>;
  }
  interface FastifyContextConfig {
    /** The session token may also come as the `access_token` query parameter (EventSource). */
    tokenInQuery?: boolean;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims;
    user: SessionClaims;
  }
}

export const unauthenticated = () =>
  new AppError(401, 'M_MISSING_TOKEN', message('session.expired'));

/** The claims of a new session token for `account`, stamped now. */
export function newSessionClaims(account: Pick<Account, 'username' | 'role'>, userId: string, now = Date.now()): SessionClaims {
  return { sub: account.username, uid: userId, role: account.role, iat_ms: now };
}

/** When a verified token was issued, in ms; a token without `iat_ms` counts from the start of its `iat` second. */
export function issuedAtMs(claims: VerifiedClaims): number {
  return typeof claims.iat_ms === 'number' && Number.isFinite(claims.iat_ms) ? claims.iat_ms : claims.iat * 1000;
}

/** Whether a token still speaks for its account: active, and issued after its sessions were last ended. */
export function sessionIsCurrent(account: Account | undefined, claims: VerifiedClaims): account is Account {
  if (!account?.active) return false;
  return account.sessionsValidAfter === null || issuedAtMs(claims) >= account.sessionsValidAfter.getTime();
}

export interface AuthOptions {
  accounts: AccountRepository;
  /** Signs and verifies the session tokens (secrets.jwt_key). */
  jwtKey: string;
}

/**
 * Session tokens and who a request acts for: registers @fastify/jwt and decorates
 * `app.authenticate`, the `onRequest` hook of every route that acts for an agent. It verifies the
 * bearer token (one pinned algorithm; `aud`, `exp` and `iat` required and checked), that its
 * account is active and has not had its sessions ended since the token was issued, and sets
 * `request.agent`. A route with `config: { tokenInQuery: true }` also takes the token as the
 * `access_token` query parameter (a browser's EventSource cannot send headers).
 */
export const authPlugin = fastifyPlugin<AuthOptions>(
  async (app, { accounts, jwtKey }) => {
    await app.register(fastifyJwt, {
      secret: jwtKey,
      sign: { algorithm: JWT_ALGORITHM, aud: API_AUDIENCE, expiresIn: SESSION_TTL_SECONDS },
      // fast-jwt checks only the claims a token has: a token without `aud` or `exp` must not pass.
      verify: { algorithms: [JWT_ALGORITHM], allowedAud: API_AUDIENCE, requiredClaims: REQUIRED_CLAIMS },
    });
    app.decorate('authenticate', async function authenticate(request: FastifyRequest): Promise<void> {
      const header = request.headers.authorization;
      const token = request.routeOptions.config.tokenInQuery
        ? bearerToken(request)
        : header?.startsWith('Bearer ')
          ? header.slice(7).trim()
          : undefined;
      if (!token) throw unauthenticated();
      let claims: VerifiedClaims;
      try {
        claims = request.server.jwt.verify<VerifiedClaims>(token);
      } catch {
        throw unauthenticated();
      }
      const account = await accounts.find(claims.sub);
      if (!sessionIsCurrent(account, claims)) throw unauthenticated();
      request.agent = { username: account.username, userId: claims.uid, role: account.role, issuedAt: issuedAtMs(claims), expiresAt: claims.exp * 1000 };
    });
  },
  { name: 'chattigo-auth', fastify: '5.x' },
);

export function requireRole(...roles: Role[]) {
  return async function authorize(request: FastifyRequest): Promise<void> {
    if (!roles.includes(request.agent.role)) {
      throw new AppError(403, 'M_FORBIDDEN', message('session.notAllowed'));
    }
  };
}
