import { createHash, randomBytes } from 'node:crypto';
import { Method } from 'matrix-js-sdk';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountRepository } from '../accounts/index.ts';
import { CODE_EXPIRED, CODE_UNKNOWN, CODE_USED, type CodeExchangeResponse, type LoginCodeResponse } from '@chattigo/contracts/sso';
import { createSsoRepository, type CodeOutcome, type SsoRepository } from './repository.ts';

export interface SsoOptions {
  db: Database;
  gateway: MatrixGateway;
  log: Logger;
  /** The client's public URL; the code's link is built from it, never from request headers. */
  publicUrl: string;
  /** How long a code works (≤ 60 s). */
  ttlSeconds: number;
  /** The clock that stamps and checks codes (tests may move it). */
  now?: () => number;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/** Device name of the Matrix sessions opened with a code (shown in Element's session list). */
export const SSO_DEVICE_NAME = 'Chattigo web (escritorio)';

/**
 * One-time login codes: the platform asks for one for an agent (service token); the web client
 * exchanges it once, within `ttlSeconds`, for a Matrix login of that agent, which the appservice
 * obtains with `m.login.application_service`. Every exchange is audited (login_code_uses).
 */
export class SsoService {
  private readonly options: SsoOptions;
  private readonly now: () => number;
  private readonly codes: SsoRepository;

  constructor(options: SsoOptions) {
    this.codes = createSsoRepository(options.db);
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  async issue(username: string): Promise<LoginCodeResponse> {
    const { db } = this.options;
    const account = await createAccountRepository(db).find(username);
    if (!account) throw new AppError(404, 'M_NOT_FOUND', message('sso.unknownAccount', { username }));
    if (!account.active) throw new AppError(403, 'M_USER_DEACTIVATED', message('sso.inactiveAccount', { username }));
    const code = randomBytes(32).toString('base64url');
    const issuedAt = new Date(this.now());
    const expiresAt = new Date(issuedAt.getTime() + this.options.ttlSeconds * 1000);
    const { codes } = this;
    await codes.deleteExpiredCodes(new Date(issuedAt.getTime() - 60 * 60 * 1000));
    await codes.insertCode(hashCode(code), account.username, issuedAt, expiresAt);
    this.options.log.info({ username: account.username }, 'login code issued');
    const url = new URL('/ingresar', this.options.publicUrl);
    url.hash = `code=${code}`;
    return { code, expiresAt: expiresAt.toISOString(), url: url.toString() };
  }

  /** The Matrix login a code stands for; refused when unknown, used before, expired or its account inactive. */
  async exchange(code: string, clientAddress: string | null): Promise<CodeExchangeResponse> {
    const { db, gateway, log } = this.options;
    const usedAt = new Date(this.now());
    const { codes } = this;
    const found = await codes.useCode(hashCode(code), usedAt);
    const audit = (outcome: CodeOutcome) =>
      codes.recordUse({
        username: found?.code.username ?? null,
        issuedAt: found?.code.issuedAt ?? null,
        usedAt,
        outcome,
        clientAddress,
      });
    if (!found) {
      await audit('unknown');
      throw new AppError(401, CODE_UNKNOWN, message('sso.codeUnknown'));
    }
    const { username } = found.code;
    if (!found.firstUse) {
      await audit('replayed');
      log.warn({ username, clientAddress }, 'login code used again: refused');
      throw new AppError(401, CODE_USED, message('sso.codeUsed'));
    }
    if (found.code.expiresAt.getTime() <= usedAt.getTime()) {
      await audit('expired');
      throw new AppError(401, CODE_EXPIRED, message('sso.codeExpired'));
    }
    const account = await createAccountRepository(db).find(username);
    if (!account?.active) {
      await audit('inactive');
      throw new AppError(403, 'M_USER_DEACTIVATED', message('sso.accountInactive'));
    }
    const userId = gateway.userIdFor(account.username);
    try {
      const login = await this.logIn(userId);
      await audit('signed-in');
      log.info({ username }, 'signed in with a login code');
      return login;
    } catch (err) {
      await audit('failed');
      throw new AppError(502, 'M_UNKNOWN', message('sso.loginFailed'), { detail: 'appservice login failed', cause: err });
    }
  }

  /** A new Matrix session (access token and device) for a user of the namespace. */
  private async logIn(userId: string): Promise<CodeExchangeResponse> {
    const request = () =>
      this.options.gateway.intent().http.authedRequest<{ user_id: string; device_id: string; access_token: string }>(
        Method.Post,
        '/login',
        undefined,
        { type: 'm.login.application_service', identifier: { type: 'm.id.user', user: userId }, initial_device_display_name: SSO_DEVICE_NAME },
      );
    let result;
    try {
      result = await request();
    } catch (err) {
      // An account the directory sync has not brought to Matrix yet: register it, then log in.
      if ((err as { errcode?: string }).errcode !== 'M_FORBIDDEN' && (err as { errcode?: string }).errcode !== 'M_INVALID_USERNAME') throw err;
      await this.options.gateway.registerUser(userId.slice(1, userId.indexOf(':')));
      result = await request();
    }
    if (result.user_id !== userId) throw new Error(`appservice login returned ${result.user_id} for ${userId}`);
    return { userId: result.user_id, deviceId: result.device_id, accessToken: result.access_token };
  }
}
