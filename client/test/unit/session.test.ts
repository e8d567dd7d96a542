import { describe, expect, it } from 'vitest';
import type { SessionResponse } from '@chattigo/contracts/session';
import { RENEW_MARGIN_MS, SessionKeeper } from '../../src/session/keeper.ts';
import { clearCredentials, loadCredentials, saveCredentials, type KeyValueStore } from '../../src/session/storage.ts';

const account = { username: 'ana', userId: '@chattigo_ana:x', displayName: 'Ana', role: 'agent' as const, campaigns: ['ventas'] };
const session = (token: string, expiresAt: number): SessionResponse => ({ token, expiresAt: new Date(expiresAt).toISOString(), account });

describe('SessionKeeper', () => {
  it('hands out the current token while it has more than the margin left, then renews it', async () => {
    let now = 1_000_000;
    let exchanges = 0;
    const keeper = new SessionKeeper(session('t0', now + 15 * 60_000), async () => session(`t${++exchanges}`, now + 15 * 60_000), () => now);
    expect(await keeper.token()).toBe('t0');
    now += 15 * 60_000 - RENEW_MARGIN_MS + 1;
    expect(await keeper.token()).toBe('t1');
    expect(await keeper.token()).toBe('t1');
    expect(await keeper.token({ renew: true })).toBe('t2');
  });

  it('shares one renewal between concurrent callers and lets a failed one be retried', async () => {
    const now = 0;
    let calls = 0;
    let fail = true;
    const keeper = new SessionKeeper(session('old', now), async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('offline');
      return session('new', now + 900_000);
    }, () => now);
    await expect(Promise.all([keeper.token(), keeper.token()])).rejects.toThrow('offline');
    expect(calls).toBe(1);
    fail = false;
    expect(await Promise.all([keeper.token(), keeper.token()])).toEqual(['new', 'new']);
    expect(calls).toBe(2);
  });
});

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('stored Matrix login', () => {
  const credentials = { homeserverUrl: 'http://127.0.0.1:8008', userId: '@chattigo_ana:x', deviceId: 'DEV', accessToken: 'syt_x' };

  it('survives a save and load, and is gone after clearing', () => {
    const store = memoryStore();
    saveCredentials(credentials, store);
    expect(loadCredentials(store)).toEqual(credentials);
    clearCredentials(store);
    expect(loadCredentials(store)).toBeNull();
  });

  it('drops an entry that is not a complete login', () => {
    const store = memoryStore();
    store.setItem('chattigo.session', '{not json');
    expect(loadCredentials(store)).toBeNull();
    expect(store.data.size).toBe(0);
    store.setItem('chattigo.session', JSON.stringify({ ...credentials, accessToken: '' }));
    expect(loadCredentials(store)).toBeNull();
    expect(store.data.size).toBe(0);
  });
});
