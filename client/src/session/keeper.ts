import type { SessionResponse } from '@chattigo/contracts/session';

/** Renew the API session token when less than this is left of it. */
export const RENEW_MARGIN_MS = 60_000;

/**
 * Keeps a valid API session token (15 minutes) for a Matrix login: hands out the current one,
 * and exchanges the Matrix access token for a new one when it is about to run out or when asked.
 * Concurrent callers share one renewal.
 */
export class SessionKeeper {
  private session: SessionResponse;
  private renewing: Promise<SessionResponse> | null = null;
  private readonly exchange: () => Promise<SessionResponse>;
  private readonly now: () => number;

  constructor(first: SessionResponse, exchange: () => Promise<SessionResponse>, now: () => number = Date.now) {
    this.session = first;
    this.exchange = exchange;
    this.now = now;
  }

  get account(): SessionResponse['account'] {
    return this.session.account;
  }

  /** Epoch ms at which the current token expires. */
  get expiresAt(): number {
    return Date.parse(this.session.expiresAt);
  }

  async token(options: { renew?: boolean } = {}): Promise<string> {
    const fresh = this.expiresAt - this.now() > RENEW_MARGIN_MS;
    if (fresh && !options.renew) return this.session.token;
    return (await this.renew()).token;
  }

  renew(): Promise<SessionResponse> {
    this.renewing ??= this.exchange()
      .then((next) => {
        this.session = next;
        return next;
      })
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }
}
