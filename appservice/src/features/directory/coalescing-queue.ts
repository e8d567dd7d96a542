export interface CoalescingQueueOptions {
  /** Writes running at the same time, at most. */
  concurrency: number;
  /** How long a first write waits, so that a burst is gathered and coalesced. */
  delayMs: number;
  /** Attempts per value before giving up (a newer value for the key starts afresh). */
  maxAttempts: number;
  retryDelayMs: number;
  onError(key: string, err: unknown, final: boolean): void;
}

/**
 * Writes keyed values with bounded concurrency, keeping only the latest value per key: a key
 * updated ten times while it waits is written once, with the tenth value. Writes of one key never
 * overlap and happen in order; a failed write is retried with back-off unless a newer value has
 * superseded it.
 */
export class CoalescingQueue<V> {
  private readonly pending = new Map<string, { value: V; attempt: number }>();
  private readonly running = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters: (() => void)[] = [];
  private stopped = false;
  private gathering = false;
  private readonly write: (key: string, value: V) => Promise<void>;
  private readonly options: CoalescingQueueOptions;

  constructor(write: (key: string, value: V) => Promise<void>, options: CoalescingQueueOptions) {
    this.write = write;
    this.options = options;
  }

  get size(): number {
    return this.pending.size + this.running.size;
  }

  put(key: string, value: V): void {
    if (this.stopped) return;
    const first = this.pending.size === 0 && this.running.size === 0;
    this.pending.set(key, { value, attempt: 1 });
    if (this.gathering) return;
    if (first && this.options.delayMs > 0) {
      this.gathering = true;
      this.later(() => {
        this.gathering = false;
        this.pump();
      }, this.options.delayMs);
      return;
    }
    this.pump();
  }

  /** Resolves when nothing is waiting or being written (retries included). */
  idle(): Promise<void> {
    if (this.size === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.gathering = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
    this.settle();
  }

  private later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
      this.settle();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private pump(): void {
    if (this.stopped) return;
    for (const [key, item] of this.pending) {
      if (this.running.size >= this.options.concurrency) return;
      if (this.running.has(key)) continue;
      this.pending.delete(key);
      this.running.add(key);
      void this.write(key, item.value)
        .catch((err: unknown) => {
          const final = item.attempt >= this.options.maxAttempts;
          this.options.onError(key, err, final);
          if (!final && !this.pending.has(key)) {
            const retry = { value: item.value, attempt: item.attempt + 1 };
            this.later(() => {
              if (!this.pending.has(key)) this.pending.set(key, retry);
              this.pump();
            }, this.options.retryDelayMs * 2 ** (item.attempt - 1));
          }
        })
        .finally(() => {
          this.running.delete(key);
          this.pump();
          this.settle();
        });
    }
  }

  private settle(): void {
    if (this.size > 0 || this.timers.size > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
