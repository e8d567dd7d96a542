import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { KeyLock } from '../../db/locks.ts';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { MIN_PASSWORD_LENGTH } from '@chattigo/contracts/passwords';
import { createAccountRepository, hashPassword, usernameFromLogin, type Account, type AccountRepository } from '../accounts/index.ts';
import type { SessionRevocation } from '../session/index.ts';
import type { Mailer } from './mailer.ts';
import { resetMail, welcomeMail } from './mails.ts';
import { createPasswordTokenRepository, type PasswordTokenRepository, type TokenPurpose } from './repository.ts';

const RESETS_PER_HOUR = 5;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PasswordServiceOptions {
  db: Database;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  mailer: Mailer;
  sessions: SessionRevocation;
  log: Logger;
  publicUrl: string;
  userPrefix: string;
  serverName: string;
  resetMinutes: number;
  welcomeHours: number;
}

export const invalidLink = () =>
  new AppError(400, 'CHATTIGO_INVALID_TOKEN', message('password.invalidLink'));

/** Password links: requested by an agent (reset) or sent to a new account (welcome). */
export class PasswordService {
  private readonly o: PasswordServiceOptions;
  private readonly accounts: AccountRepository;
  private readonly tokens: PasswordTokenRepository;
  /** Per account across processes, so that the hourly cap of reset links holds under bursts. */
  private readonly perAccount: KeyLock;
  constructor(options: PasswordServiceOptions) {
    this.o = options;
    this.accounts = createAccountRepository(options.db);
    this.tokens = createPasswordTokenRepository(options.db);
    this.perAccount = new KeyLock({ db: options.db, namespace: 'password.account' });
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
      ? await this.accounts.findByEmail(identifier.trim())
      : await this.byUsername(identifier);
    for (const account of accounts) {
      if (!account.active || !account.email) continue;
      await this.perAccount.run(account.username, () => this.sendResetLink(account));
    }
  }

  /** One account's link; one at a time per account, so the hourly cap holds under bursts. */
  private async sendResetLink(account: Account): Promise<void> {
    // No mail bombing through "forgot password": a few links per account and hour.
    if ((await this.tokens.recentResetCount(account.username)) >= RESETS_PER_HOUR) {
      this.o.log.warn({ username: account.username }, 'password reset requested too often; no mail sent');
      return;
    }
    const token = await this.issue(account.username, 'reset', this.o.resetMinutes * 60);
    await this.o.mailer.send(resetMail(account, this.link(token), this.o.resetMinutes));
  }

  private async byUsername(identifier: string): Promise<Account[]> {
    const username = usernameFromLogin(identifier, this.o.userPrefix, this.o.serverName);
    const account = username ? await this.accounts.find(username) : undefined;
    return account ? [account] : [];
  }

  /** Mails a set-password link to a new account that has an email and no password. */
  async sendWelcome(username: string): Promise<boolean> {
    const account = await this.accounts.find(username);
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
    await this.tokens.insert(sha256(token), username, purpose, ttlSeconds);
    return token;
  }

  /**
   * Sets a new password with a link's token: the token works once and only before it expires;
   * every other link of the account stops working and every session of the account is ended
   * (Matrix devices, API tokens, live streams). The token is looked up before the password is
   * hashed, so a bogus token costs a database lookup, not an Argon2 hash.
   */
  async reset(token: string, password: string): Promise<{ username: string }> {
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      throw new AppError(400, 'M_WEAK_PASSWORD', message('password.tooShort', { min: MIN_PASSWORD_LENGTH }));
    }
    const tokenHash = sha256(token);
    if (!(await this.tokens.findUsable(tokenHash))) throw invalidLink();
    const hash = await hashPassword(password);
    const username = await this.o.db.transaction(async (tx) => {
      // Used up atomically: of two requests with the same token, only one gets here.
      const owner = await createPasswordTokenRepository(tx).consume(tokenHash);
      if (!owner) throw invalidLink();
      await createAccountRepository(tx).setPassword(owner, hash, new Date());
      return owner;
    });
    try {
      await this.o.admin.logoutDevices(this.o.gateway.userIdFor(username));
    } finally {
      // Again after the Matrix logout: a token obtained with a Matrix session that lived until then ends too.
      await this.o.sessions.end(username);
    }
    this.o.log.info({ username }, 'password set through a link; sessions ended');
    return { username };
  }
}
