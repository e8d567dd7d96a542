import type { Queryable } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountRepository, type AccountRepository } from '../accounts/index.ts';

/** Open streams that live as long as a session (the directory's live stream). */
export interface SessionStreams {
  endSessions(username: string, at: number): unknown;
}

/**
 * Ends an account's sessions when its credentials change (password reset or set through a link,
 * temporary password, a new password from an import, deactivation): API tokens issued before now
 * are refused from here on, and the live streams opened with them are closed. Matrix sessions are
 * logged out by the caller through the Admin API.
 */
export class SessionRevocation {
  private readonly accounts: AccountRepository;
  private readonly streams: SessionStreams;
  private readonly log: Logger;

  constructor(deps: { db: Queryable; streams: SessionStreams; log: Logger }) {
    this.accounts = createAccountRepository(deps.db);
    this.streams = deps.streams;
    this.log = deps.log;
  }

  /** Call after the change is committed, so a client that reconnects at once is refused. */
  async end(username: string, at = new Date()): Promise<void> {
    await this.accounts.endSessions(username, at);
    this.streams.endSessions(username, at.getTime());
    this.log.info({ username }, 'API sessions ended');
  }

  async endAll(usernames: Iterable<string>): Promise<void> {
    for (const username of usernames) await this.end(username);
  }
}
