import pg from 'pg';
import type { Database, Queryable, Session } from './database.ts';

/** PostgreSQL through a `pg` pool. */
export function openPostgres(url: string, poolSize = 10): Database {
  const pool = newPool(url, poolSize);
  // Advisory locks of db/locks.ts: held for the length of some work, which queries through `pool`.
  const lockPool = newPool(url, poolSize);
  let closing: Promise<void> | undefined;

  const wrap = (client: pg.Pool | pg.PoolClient): Session => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    query: wrap(pool).query,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A connection whose ROLLBACK fails is broken: the pool must drop it, not lend it again.
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async session<T>(work: (session: Session) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        return await work(wrap(client));
      } catch (err) {
        // Session state (advisory locks) is unknown after a failure: drop the connection.
        failed = err instanceof Error ? err : new Error(String(err));
        throw err;
      } finally {
        client.release(failed);
      }
    },
    async listen(channel, handler) {
      let client: pg.Client | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url });
        next.on('notification', (message) => {
          if (message.channel === channel) handler(message.payload ?? '');
        });
        next.on('error', () => {
          // The connection broke: listen again on a new one (notifications meanwhile are lost;
          // listeners also poll, see the processor's sweep).
          void next.end().catch(() => undefined);
          if (!stopped) retry = setTimeout(() => void connect().catch(() => undefined), 1000);
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          client = next;
        } catch (err) {
          await next.end().catch(() => undefined);
          if (stopped) return;
          retry = setTimeout(() => void connect().catch(() => undefined), 1000);
          throw err;
        }
      };
      await connect().catch(() => undefined);
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.end().catch(() => undefined);
      };
    },
    async advisoryLock<T>(namespace: string, key: string, work: () => Promise<T>): Promise<T> {
      const client = await lockPool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [namespace, key]);
      } catch (err) {
        client.release(asError(err));
        throw err;
      }
      let broken: Error | undefined;
      try {
        return await work();
      } finally {
        // A connection that cannot unlock is dropped, and PostgreSQL releases the lock with it.
        await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [namespace, key]).catch((err: unknown) => {
          broken = asError(err);
        });
        client.release(broken);
      }
    },
    close() {
      // Once: a second close (a stop retried after a slow first one) waits for the first.
      closing ??= Promise.all([pool.end(), lockPool.end()]).then(() => undefined);
      return closing;
    },
  };
}

function newPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // A connection that breaks must not crash the process: an idle one is replaced by the pool, and a
  // checked-out one (in a transaction, a session) fails the query in flight, which the caller sees.
  // Without a listener on each client, its 'error' event (57P01 when the backend is terminated)
  // would be unhandled.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
