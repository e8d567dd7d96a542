import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { usernameFromLogin } from '../accounts/auth-check.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { findAccount, findAccountsByEmail, type Account } from '../accounts/repository.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import type { Mailer } from './mailer.ts';
import { resetMail, welcomeMail } from './mails.ts';

export type TokenPurpose = 'reset' | 'welcome';

const RESETS_PER_HOUR = 5;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PasswordServiceOptions {
  db: Database;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  mailer: Mailer;
  log: Logger;
  publicUrl: string;
  userPrefix: string;
  serverName: string;
  resetMinutes: number;
  welcomeHours: number;
}

export const invalidLink = () =>
  new AppError(400, 'CHATTIGO_INVALID_TOKEN', {
    es: 'El enlace no es válido, ya se usó o venció. Solicite uno nuevo con "¿Olvidó su contraseña?".',
    en: 'The link is not valid, was already used or has expired. Ask for a new one with "Forgot password?".',
  });

/** Password links: requested by an agent (reset) or sent to a new account (welcome). */
export class PasswordService {
  private readonly o: PasswordServiceOptions;
  private readonly perAccount = new KeyedMutex();
  constructor(options: PasswordServiceOptions) {
    this.o = options;
  }

  /**
   * Handles "forgot password" for a username or an email. Does its work after the caller has
   * answered, so the answer and its timing are the same whether or not an account matches.
   */
  requestReset(identifier: string): void {
    setImmediate(() => {
      this.sendResetLinks(identifier).catch((err: unknown) => this.o.log.error({ err }, 'password reset request failed'));
    });
  }

  private async sendResetLinks(identifier: string): Promise<void> {
    const accounts: Account[] = identifier.includes('@') && !identifier.startsWith('@')
      ? await findAccountsByEmail(this.o.db, identifier.trim())
      : await this.byUsername(identifier);
    for (const account of accounts) {
      if (!account.active || !account.email) continue;
      await this.perAccount.run(account.username, () => this.sendResetLink(account));
    }
  }

  /** One account's link; one at a time per account, so the hourly cap holds under bursts. */
  private async sendResetLink(account: Account): Promise<void> {
    // No mail bombing through "forgot password": a few links per account and hour.
    const [recent] = await this.o.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM password_tokens
        WHERE username = $1 AND purpose = 'reset' AND created_at > now() - interval '1 hour'`,
      [account.username],
    );
    if ((recent?.n ?? 0) >= RESETS_PER_HOUR) {
      this.o.log.warn({ username: account.username }, 'password reset requested too often; no mail sent');
      return;
    }
    const token = await this.issue(account.username, 'reset', this.o.resetMinutes * 60);
    await this.o.mailer.send(resetMail(account, this.link(token), this.o.resetMinutes));
  }

  private async byUsername(identifier: string): Promise<Account[]> {
    const username = usernameFromLogin(identifier, this.o.userPrefix, this.o.serverName);
    const account = username ? await findAccount(this.o.db, username) : undefined;
    return account ? [account] : [];
  }

  /** Mails a set-password link to a new account that has an email and no password. */
  async sendWelcome(username: string): Promise<boolean> {
    const account = await findAccount(this.o.db, username);
    if (!account?.active || !account.email || account.passwordHash) return false;
    const token = await this.issue(username, 'welcome', this.o.welcomeHours * 3600);
    await this.o.mailer.send(welcomeMail(account, this.link(token), this.o.welcomeHours));
    return true;
  }

  private link(token: string): string {
    return new URL(`/restablecer-contrasena?token=${encodeURIComponent(token)}`, this.o.publicUrl).toString();
  }

  private async issue(username: string, purpose: TokenPurpose, ttlSeconds: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.o.db.query(
      `INSERT INTO password_tokens (token_hash, username, purpose, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [sha256(token), username, purpose, ttlSeconds],
    );
    return token;
  }

  /**
   * Sets a new password with a link's token: the token works once and only before it expires;
   * every other link of the account stops working and every session of the account is ended.
   */
  async reset(token: string, password: string): Promise<{ username: string }> {
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      throw new AppError(400, 'M_WEAK_PASSWORD', {
        es: `La contraseña debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres.`,
        en: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
      });
    }
    const hash = await hashPassword(password);
    const username = await this.o.db.transaction(async (tx) => {
      const [row] = await tx.query<{ username: string }>(
        `UPDATE password_tokens t SET used_at = now()
           FROM accounts a
          WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
            AND a.username = t.username AND a.active
         RETURNING t.username`,
        [sha256(token)],
      );
      if (!row) throw invalidLink();
      await tx.query(`UPDATE password_tokens SET used_at = now() WHERE username = $1 AND used_at IS NULL`, [row.username]);
      await tx.query(`UPDATE accounts SET password_hash = $2, updated_at = now() WHERE username = $1`, [row.username, hash]);
      return row.username;
    });
    await this.o.admin.logoutDevices(this.o.gateway.userIdFor(username));
    this.o.log.info({ username }, 'password set through a link; sessions ended');
    return { username };
  }
}
