import { KeyedMutex } from '../util/keyed-mutex.ts';
import type { Database } from './database.ts';

/** This process's queues, per database and namespace: shared by every KeyLock on them. */
const queues = new WeakMap<Database, Map<string, KeyedMutex>>();

/**
 * Work for one key of a namespace ("open a chat for this pair", "close this room"), one at a time
 * across every appservice process on the database. Within a process the work for a key waits in
 * a queue, so a process holds or waits for at most one lock connection per key; across processes
 * a PostgreSQL advisory lock on (namespace, key) decides (Database.advisoryLock). The embedded
 * store has one process: the queue alone. A lock whose connection breaks is released by
 * PostgreSQL while the work goes on, so the work must still be safe to race (the chats' unique
 * index on an open pair, conditional updates): the lock keeps the common case from racing.
 */
export class KeyLock {
  private readonly db: Database;
  private readonly namespace: string;
  private readonly queue: KeyedMutex;

  constructor({ db, namespace }: { db: Database; namespace: string }) {
    this.db = db;
    this.namespace = namespace;
    let byNamespace = queues.get(db);
    if (!byNamespace) queues.set(db, (byNamespace = new Map()));
    let queue = byNamespace.get(namespace);
    if (!queue) byNamespace.set(namespace, (queue = new KeyedMutex()));
    this.queue = queue;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(key, () => this.db.advisoryLock(this.namespace, key, work));
  }
}
