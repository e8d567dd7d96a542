import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, Session } from './database.ts';

/**
 * The embedded default: PGlite, PostgreSQL compiled to WebAssembly, in-process. It runs the same
 * SQL and migrations as the PostgreSQL store. It has one connection, so `session` and
 * `transaction` share it; PGlite serialises transactions itself.
 */
export async function openEmbedded(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  return embeddedDatabase(await PGlite.create(dataDir));
}

/**
 * The store on a PGlite instance made elsewhere (the unit tests make theirs from a snapshot of a
 * migrated database: appservice/test/helpers/embedded-store.ts). Closing the store closes it.
 */
export function embeddedDatabase(db: PGlite): Database {
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Session => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const self = wrap(db);

  return {
    kind: 'embedded',
    query: self.query,
    transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(wrap(tx)));
    },
    session<T>(work: (session: Session) => Promise<T>): Promise<T> {
      return work(self);
    },
    async listen(channel, handler) {
      const unlisten = await db.listen(channel, handler);
      return () => unlisten();
    },
    advisoryLock<T>(_namespace: string, _key: string, work: () => Promise<T>): Promise<T> {
      return work();
    },
    async close() {
      await db.close();
    },
  };
}
