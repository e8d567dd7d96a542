import { describe, expect, it } from 'vitest';
import { CoalescingQueue } from '../../src/features/directory/coalescing-queue.ts';

describe('coalescing write queue', () => {
  const options = { concurrency: 2, delayMs: 20, maxAttempts: 3, retryDelayMs: 5, onError: () => undefined };

  it('writes only the latest value of a key that is updated while it waits', async () => {
    const writes: string[] = [];
    const queue = new CoalescingQueue<number>(async (key, value) => void writes.push(`${key}=${value}`), options);
    for (let i = 1; i <= 10; i++) queue.put('a', i);
    queue.put('b', 1);
    await queue.idle();
    expect(writes).toEqual(['a=10', 'b=1']);
  });

  it('never runs more than `concurrency` writes, nor two writes of one key, at once', async () => {
    let running = 0;
    let most = 0;
    const busy = new Set<string>();
    const writes: string[] = [];
    const queue: CoalescingQueue<number> = new CoalescingQueue<number>(async (key, value) => {
      expect(busy.has(key)).toBe(false);
      busy.add(key);
      most = Math.max(most, ++running);
      // A newer value arriving while the key is being written waits for that write to end.
      if (key === 'k9' && value === 9) queue.put('k9', 99);
      await new Promise((resolve) => setTimeout(resolve, 5));
      writes.push(`${key}=${value}`);
      busy.delete(key);
      running--;
    }, options);
    for (let i = 0; i < 10; i++) queue.put(`k${i}`, i);
    await queue.idle();
    expect(most).toBe(2);
    expect(writes).toHaveLength(11);
    expect(writes.slice(-2)).toEqual(['k9=9', 'k9=99']);
  });

  it('retries a failed write, unless a newer value replaced it, and gives up after maxAttempts', async () => {
    const failures: [string, boolean][] = [];
    let calls = 0;
    const queue = new CoalescingQueue<number>(
      async (key) => {
        calls++;
        throw new Error(`no ${key}`);
      },
      { ...options, onError: (key, _err, final) => void failures.push([key, final]) },
    );
    queue.put('x', 1);
    await queue.idle();
    expect(calls).toBe(3);
    expect(failures).toEqual([
      ['x', false],
      ['x', false],
      ['x', true],
    ]);
  });
});
