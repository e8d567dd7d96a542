import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import { sql } from 'kysely';
import type { Database } from './database.ts';
import { queryBuilder } from './kysely.ts';

export interface LeadershipOptions {
  /** Advisory lock key naming the role among the database's advisory locks. */
  key: number;
  log: Logger;
  onGain: () => void | Promise<void>;
  onLose: () => void | Promise<void>;
  /** How often a follower tries to take over, and a leader checks its connection. */
  intervalMs?: number;
}

export interface Leadership {
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * One process of several on the same PostgreSQL holds a role (consuming appservice transactions):
 * the one holding a session advisory lock. The lock lives as long as its connection, so when the
 * leader dies PostgreSQL releases it and a follower takes over at its next try (within
 * `intervalMs`). The embedded store has one process: it is always the leader.
 */
export function startLeadership(db: Database, options: LeadershipOptions): Leadership {
  const interval = options.intervalMs ?? 2000;
  let leader = false;
  let stopped = false;
  const controller = new AbortController();
  const pause = () => sleep(interval, undefined, { signal: controller.signal, ref: false }).catch(() => undefined);

  const gain = async () => {
    leader = true;
    options.log.info('this process consumes appservice transactions (leader)');
    await options.onGain();
  };
  const lose = async () => {
    if (!leader) return;
    leader = false;
    options.log.warn('this process no longer consumes appservice transactions (follower)');
    await options.onLose();
  };

  const loop = async () => {
    if (db.kind === 'embedded') return gain();
    while (!stopped) {
      try {
        await db.session(async (session) => {
          const row = await queryBuilder(session)
            .selectNoFrom(sql<boolean>`pg_try_advisory_lock(${options.key})`.as('ok'))
            .executeTakeFirst();
          if (!row?.ok) return;
          try {
            await gain();
            // Hold the connection (and with it the lock); a failed check means it is gone.
            while (!stopped) {
              await pause();
              await session.query('SELECT 1');
            }
          } finally {
            await session.query('SELECT pg_advisory_unlock($1)', [options.key]).catch(() => undefined);
          }
        });
      } catch (err) {
        options.log.warn({ err }, 'lost the database connection that held leadership');
      }
      await lose();
      if (!stopped) await pause();
    }
  };
  const running = loop().catch((err: unknown) => options.log.error({ err }, 'leadership loop failed'));

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      controller.abort();
      await running;
      await lose();
    },
  };
}
