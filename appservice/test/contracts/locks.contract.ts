import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { KeyLock } from '../../src/db/locks.ts';

/** Two handles on one database: two appservice processes (PostgreSQL) or the same one twice (embedded). */
export interface TwoHandles {
  a: Database;
  b: Database;
  dispose(): Promise<void>;
}

/** The behaviour of db/locks.ts on every store: per key one at a time, across handles; keys apart in parallel. */
export function locksContract(storeName: string, open: () => Promise<TwoHandles>) {
  describe(`key locks on ${storeName}`, () => {
    let handles: TwoHandles;
    beforeAll(async () => {
      handles = await open();
    });
    afterAll(async () => {
      await handles.dispose();
    });

    it('runs the work for one key one at a time, whichever handle asks', async () => {
      const locks = [new KeyLock({ db: handles.a, namespace: 'test.pair' }), new KeyLock({ db: handles.b, namespace: 'test.pair' })];
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          locks[i % 2]?.run('ana|beto', async () => {
            inside++;
            most = Math.max(most, inside);
            await sleep(20);
            order.push(i);
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(order).toHaveLength(8);
    });

    it('runs the work for different keys side by side', async () => {
      const lock = new KeyLock({ db: handles.a, namespace: 'test.room' });
      const other = new KeyLock({ db: handles.b, namespace: 'test.room' });
      // Each waits for the other to have started: serialised, they would never finish.
      let started = 0;
      const meet = async () => {
        started++;
        for (let i = 0; i < 200 && started < 2; i++) await sleep(10);
        return started;
      };
      expect(await Promise.all([lock.run('!uno', meet), other.run('!dos', meet)])).toEqual([2, 2]);
    });

    it('lets the next one in when the work throws', async () => {
      const lock = new KeyLock({ db: handles.a, namespace: 'test.failing' });
      await expect(lock.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await new KeyLock({ db: handles.b, namespace: 'test.failing' }).run('k', async () => 'next')).toBe('next');
    });

    it('holds many keys at once while their work queries the database (no starved pool)', async () => {
      const lock = new KeyLock({ db: handles.a, namespace: 'test.many' });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          lock.run(`key${i}`, async () => {
            const [row] = await handles.a.query<{ n: number }>('SELECT $1::int AS n', [i]);
            await sleep(10);
            return row?.n;
          }),
        ),
      );
      expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    });
  });
}
