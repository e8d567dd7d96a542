import type { Logger } from '../observability/logger.ts';

export interface RedeliveryDeps {
  /** Resolves when the journal can store again (the database answers). */
  storeReady: () => Promise<unknown>;
  /** Asks the homeserver to ping the appservice: a successful ping makes Synapse retry at once. */
  ping: () => Promise<unknown>;
  log: Logger;
  intervalMs?: number;
}

/**
 * After the intake could not store a transaction (the database was away), Synapse backs off up to
 * 512 s before it tries again. This asks for the retry as soon as the store is back instead: it
 * checks every few seconds and, once the database answers, has Synapse ping the appservice.
 */
export class RedeliveryRequester {
  private timer: NodeJS.Timeout | undefined;
  private readonly d: RedeliveryDeps;

  constructor(deps: RedeliveryDeps) {
    this.d = deps;
  }

  storeFailed(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tryNow(), this.d.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tryNow(): Promise<void> {
    try {
      await this.d.storeReady();
      await this.d.ping();
      this.stop();
      this.d.log.info('the journal stores again; Synapse was asked to redeliver what it holds');
    } catch (err) {
      this.d.log.debug({ err }, 'journal or homeserver not back yet');
    }
  }
}
