import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followDirectory } from '../../src/features/picker/live.ts';

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  readonly url: string;
  private readonly listeners = new Map<string, ((event: { data?: string }) => void)[]>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, data?: string) {
    if (type === 'error') this.readyState = FakeEventSource.CLOSED;
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
}

describe('following the directory stream', () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('passes on ready and valid changes, reopens with a renewed token when the session ends or the stream breaks', async () => {
    const tokens: boolean[] = [];
    const ready = vi.fn();
    const changes = vi.fn();
    const stop = followDirectory(
      (token) => `/events?access_token=${token}`,
      async (renew) => {
        tokens.push(renew);
        return `t${tokens.length}`;
      },
      { onReady: ready, onChanges: changes },
    );
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeEventSource.opened[0];
    expect(first?.url).toBe('/events?access_token=t1');
    first?.emit('ready');
    first?.emit('workload', JSON.stringify({ changes: [{ username: 'ana', active: true, chatsInAttention: 2, atLimit: false, at: '2026-11-24T20:00:00Z' }] }));
    first?.emit('workload', JSON.stringify({ changes: [{ username: 'ana' }] }));
    first?.emit('workload', 'not json');
    expect(ready).toHaveBeenCalledTimes(1);
    expect(changes).toHaveBeenCalledTimes(1);

    first?.emit('session-expired', '{}');
    await vi.advanceTimersByTimeAsync(0);
    expect(first?.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.opened[1]?.url).toBe('/events?access_token=t2');
    expect(tokens).toEqual([false, true]);

    FakeEventSource.opened[1]?.emit('error');
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventSource.opened).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.opened).toHaveLength(3);
    expect(tokens).toEqual([false, true, true]);

    stop();
    expect(FakeEventSource.opened[2]?.readyState).toBe(FakeEventSource.CLOSED);
    FakeEventSource.opened[2]?.emit('error');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.opened).toHaveLength(3);
  });
});
