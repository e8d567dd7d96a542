import Type from 'typebox';
import Value from 'typebox/value';
import type { Database } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import { WorkloadChangeSchema, type WorkloadChange } from '@chattigo/contracts/directory';
import type { DirectoryLive } from './live.ts';
import { createDirectoryRepository, type DirectoryRepository } from './repository.ts';

/** The PostgreSQL channel on which every process's hub hears the directory's changes. */
export const DIRECTORY_CHANNEL = 'chattigo_directory';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: changes go in chunks below this. */
const MAX_PAYLOAD_BYTES = 7000;
/** More changes than this at once (a large feed batch): the clients reload the list instead. */
export const MAX_RELAYED_CHANGES = 500;

const RelayMessageSchema = Type.Union([
  Type.Object({ changes: Type.Array(WorkloadChangeSchema) }),
  Type.Object({ reload: Type.Literal(true) }),
]);

/** What the relay hands what it hears to: this process's live-stream hub. */
export type LiveHub = Pick<DirectoryLive, 'publish' | 'reload'>;

/** Where the directory service sends the changes of agents' activity and counts. */
export interface WorkloadPublisher {
  publish(changes: readonly WorkloadChange[]): void;
}

export interface LiveRelayDeps {
  /** The store every process shares: its NOTIFY carries the changes, its LISTEN hears them. */
  db: Database;
  /** This process's hub, handed what is heard. */
  hub: LiveHub;
  log: Logger;
}

/**
 * Carries the directory's changes to the live-stream hub of every process on the database, so a
 * client connected to any replica sees a change fed through any other: each change set is sent
 * with PostgreSQL NOTIFY (`{changes}` in chunks under the payload limit, or `{reload: true}` when
 * it is larger than MAX_RELAYED_CHANGES) and every process, this one too, hands what it hears to
 * its hub. The embedded store takes the same path (PGlite has LISTEN/NOTIFY in its one process).
 * Before `start` listens, after `stop`, and when a NOTIFY fails, changes go to this process's hub
 * only: the other processes' clients catch up at their next reload.
 */
export class LiveRelay implements WorkloadPublisher {
  private stopListening: (() => Promise<void>) | undefined;
  /** NOTIFYs go one after another, so this process's changes reach every hub in order. */
  private sending: Promise<void> = Promise.resolve();
  private readonly deps: LiveRelayDeps;
  private readonly repository: Pick<DirectoryRepository, 'notify'>;

  constructor(deps: LiveRelayDeps) {
    this.deps = deps;
    this.repository = createDirectoryRepository(deps.db);
  }

  async start(): Promise<void> {
    this.stopListening ??= await this.deps.db.listen(DIRECTORY_CHANNEL, (payload) => this.receive(payload));
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
    await this.sending;
  }

  publish(changes: readonly WorkloadChange[]): void {
    if (changes.length === 0) return;
    const { hub, log } = this.deps;
    if (!this.stopListening) {
      hub.publish(changes);
      return;
    }
    const payloads = changes.length > MAX_RELAYED_CHANGES ? [JSON.stringify({ reload: true })] : chunks(changes);
    // One statement: the chunks of a change set are notified together, in order.
    this.sending = this.sending
      .then(() => this.repository.notify(DIRECTORY_CHANNEL, payloads))
      .then(
        () => undefined,
        (err: unknown) => {
          log.warn({ err }, 'could not relay directory changes to the other processes; sent to this one only');
          hub.publish(changes);
        },
      );
  }

  private receive(payload: string): void {
    const { hub, log } = this.deps;
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      message = undefined;
    }
    if (!Value.Check(RelayMessageSchema, message)) {
      log.warn({ bytes: payload.length }, 'ignored a directory notification that is not a change set');
      return;
    }
    if ('reload' in message) hub.reload();
    else hub.publish(message.changes);
  }
}

/** `{changes}` payloads, each under MAX_PAYLOAD_BYTES. */
function chunks(changes: readonly WorkloadChange[]): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length > 0) payloads.push(`{"changes":[${current.join(',')}]}`);
    current = [];
    bytes = 0;
  };
  for (const change of changes) {
    const json = JSON.stringify(change);
    const size = Buffer.byteLength(json) + 1;
    if (bytes + size > MAX_PAYLOAD_BYTES - 20) close();
    current.push(json);
    bytes += size;
  }
  close();
  return payloads;
}
