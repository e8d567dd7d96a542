import type { Logger } from '../observability/logger.ts';

/** A skipped transaction id that has not arrived this long after it was noticed counts as lost. */
export const GAP_GRACE_MS = 15_000;
/** A jump larger than this is not a gap but a new numbering (or the first transaction after a long pause). */
const MAX_GAP = 1000;

export interface TransactionGapsDeps {
  /**
   * Of these transaction ids, the ones some appservice process stored since `since` (several
   * processes may take Synapse's transactions; only one of them noticed the gap).
   */
  receivedSince: (txnIds: readonly string[], since: Date) => Promise<ReadonlySet<string>>;
  /** Reads back what the lost transactions held: events Synapse accepted from `since` (ms) on. */
  catchUp: (since: number) => Promise<unknown>;
  log: Logger;
  graceMs?: number;
  now?: () => number;
}

interface Gap {
  /** When the gap was noticed. */
  noticedAt: number;
  /** When the transaction before it arrived: the lost events are younger than that. */
  after: number;
}

/**
 * Notices transactions Synapse never sends. Synapse numbers its appservice transactions 1, 2, 3, …
 * and retries each until it is acknowledged — except in one race of its recovery: a transaction
 * created while the appservice is still marked down, right after the recoverer found nothing left
 * to send, is not sent until the appservice fails again (which may be never), while the ones after
 * it are. So a transaction id that was skipped and has not arrived within the grace period is a
 * loss; the catch-up then reads the rooms' recent history, and the journal keeps what it had not
 * seen (by event id). A lower id than before is a restarted Synapse: the numbering starts over.
 */
export class TransactionGaps {
  private highest = 0;
  private highestAt = 0;
  private readonly missing = new Map<number, Gap>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly d: TransactionGapsDeps;
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(deps: TransactionGapsDeps) {
    this.d = deps;
    this.graceMs = deps.graceMs ?? GAP_GRACE_MS;
    this.now = deps.now ?? Date.now;
  }

  /** Told of every transaction id the intake stored. */
  seen(txnId: string): void {
    const n = Number(txnId);
    if (!Number.isSafeInteger(n) || n < 1) return;
    const now = this.now();
    if (this.missing.delete(n) || n === this.highest) return;
    if (n < this.highest) {
      // Synapse restarted and numbers from 1 again (the restart has its own catch-up).
      this.missing.clear();
    } else if (this.highest > 0 && n - this.highest > 1 && n - this.highest <= MAX_GAP) {
      for (let id = this.highest + 1; id < n; id++) this.missing.set(id, { noticedAt: now, after: this.highestAt });
    }
    this.highest = n;
    this.highestAt = now;
  }

  /** Ids waiting to arrive (for tests and logs). */
  pending(): number[] {
    return [...this.missing.keys()];
  }

  start(intervalMs = Math.max(1000, Math.floor(this.graceMs / 3))): void {
    this.timer ??= setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Declares the gaps older than the grace period lost (unless another process got them) and catches up. */
  async check(): Promise<void> {
    if (this.checking) return;
    const now = this.now();
    const due = [...this.missing].filter(([, gap]) => now - gap.noticedAt >= this.graceMs);
    if (due.length === 0) return;
    this.checking = true;
    try {
      const oldestAfter = Math.min(...due.map(([, gap]) => gap.after));
      const ids = due.map(([id]) => String(id));
      const elsewhere = await this.d.receivedSince(ids, new Date(oldestAfter - this.graceMs));
      const lost = ids.filter((id) => !elsewhere.has(id));
      if (lost.length > 0) {
        this.d.log.warn({ lost }, 'Synapse skipped appservice transactions; reading the rooms’ recent history for their events');
        await this.d.catchUp(oldestAfter);
      }
      // Forgotten only once handled: a failed look-up or catch-up is tried again at the next check.
      for (const [id] of due) this.missing.delete(id);
    } catch (err) {
      this.d.log.warn({ err }, 'could not check skipped transactions; trying again');
    } finally {
      this.checking = false;
    }
  }
}
