import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  sql,
} from 'kysely';
import type { Queryable } from './database.ts';
import type { DB } from './schema.ts';

export type { DB } from './schema.ts';

/** A Kysely query builder over one `Queryable`: the database itself or a transaction of it. */
export type QueryBuilder = Kysely<DB>;

/**
 * Kysely's driver, running every compiled query on a `Queryable` (docs/decisions/0016-typed-sql.md).
 * Transactions stay `Database.transaction`'s: a repository created on `tx` builds its queries
 * with `queryBuilder(tx)`, so they run in that transaction. Kysely's own `transaction()` is refused.
 * A `Queryable` returns rows only, so Kysely's `numUpdatedRows` / `numDeletedRows` are not
 * reported: a write that must say what it changed uses `returning(…)` and counts the rows.
 */
class QueryableDriver implements Driver {
  private readonly connection: DatabaseConnection;

  constructor(queryable: Queryable) {
    this.connection = {
      async executeQuery<R>(compiled: { sql: string; parameters: readonly unknown[] }): Promise<QueryResult<R>> {
        return { rows: await queryable.query<R & object>(compiled.sql, compiled.parameters) };
      },
      streamQuery() {
        throw new Error('streaming queries are not supported: read in pages');
      },
    };
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('use Database.transaction and queryBuilder(tx), not Kysely transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

const dialect = (queryable: Queryable): Dialect => ({
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => new QueryableDriver(queryable),
  createQueryCompiler: () => new PostgresQueryCompiler(),
  createIntrospector: (db) => new PostgresIntrospector(db),
});

const builders = new WeakMap<Queryable, QueryBuilder>();

/** The typed query builder of `queryable` (one per store or transaction, made on first use). */
export function queryBuilder(queryable: Queryable): QueryBuilder {
  let builder = builders.get(queryable);
  if (!builder) builders.set(queryable, (builder = new Kysely<DB>({ dialect: dialect(queryable) })));
  return builder;
}

/** `count(*)` as an int4: one type from both stores (a bare count is an int8, see Int8 in schema.ts). */
export const countRows = () => sql<number>`count(*)::int`;
