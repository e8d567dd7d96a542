/** What repositories need from a store: parameterised queries and transactions. */
export interface Queryable {
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** One connection held for a while: what the migration runner needs for its advisory lock. */
export interface Session extends Queryable {
  /** Runs one or more statements with no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection. */
  session<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Calls `handler` with each payload notified on `channel` (PostgreSQL LISTEN, on a connection of
   * its own that is re-established when it breaks); resolves to a function that stops listening.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs `work` holding the advisory lock (`namespace`, `key`), waiting while another session of
   * the database holds it (use db/locks.ts, which also queues the work of this process). PostgreSQL:
   * a session lock on a connection of a pool of its own, so that waiting and holding never use up
   * the connections `work` itself needs. Embedded: one process, nothing to wait for.
   */
  advisoryLock<T>(namespace: string, key: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
