import type { MatrixGateway } from '../../matrix/gateway.ts';
import { WORKLOAD_EVENT_TYPE, type WorkloadContent } from '@chattigo/contracts/event-types';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { CoalescingQueue } from './coalescing-queue.ts';
import type { DirectoryRepository } from './repository.ts';
import type { WorkloadChange } from '@chattigo/contracts/directory';

export interface SpaceStateOptions {
  concurrency: number;
  /** A burst is gathered this long before the first write, so each (space, agent) is written once. */
  gatherMs: number;
}

export const defaultSpaceStateOptions: SpaceStateOptions = { concurrency: 2, gatherMs: 250 };

const SEPARATOR = '\u0000';

export interface SpaceStatePublisherDeps {
  gateway: MatrixGateway;
  /** Where the campaign spaces of the agents are read. */
  repository: Pick<DirectoryRepository, 'spacesOf'>;
  log: Logger;
  metrics: Metrics;
  options: SpaceStateOptions;
}

/**
 * Publishes each agent's workload as `com.chattigo.workload` state (state_key = username) in the
 * space of every campaign the agent belongs to, for clients that read room state. Writes are
 * coalesced per (space, agent) and run a few at a time, so a burst of reports becomes at most one
 * write per space and agent, at a pace Synapse can take; an unchanged value is not written again.
 */
export class SpaceStatePublisher {
  private readonly queue: CoalescingQueue<WorkloadContent>;
  private readonly written = new Map<string, string>();
  private readonly lookups = new Set<Promise<void>>();
  private readonly deps: SpaceStatePublisherDeps;

  constructor(deps: SpaceStatePublisherDeps) {
    this.deps = deps;
    const { log, options } = deps;
    this.queue = new CoalescingQueue((key, content) => this.write(key, content), {
      concurrency: options.concurrency,
      delayMs: options.gatherMs,
      maxAttempts: 3,
      retryDelayMs: 2000,
      onError: (key, err, final) => {
        deps.metrics.matrixPublishes.inc({ target: 'space_state', outcome: 'failed' });
        const [roomId, username] = key.split(SEPARATOR);
        log.warn({ err, roomId, username, final }, 'could not write the workload state to a campaign space');
      },
    });
  }

  /** Queues the changes for the spaces of the agents' campaigns. */
  publish(changes: readonly WorkloadChange[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    const lookup = this.enqueue(changes);
    this.lookups.add(lookup);
    return lookup.finally(() => this.lookups.delete(lookup));
  }

  private async enqueue(changes: readonly WorkloadChange[]): Promise<void> {
    const spaces = await this.deps.repository.spacesOf(changes.map((c) => c.username));
    for (const change of changes) {
      const content: WorkloadContent = {
        username: change.username,
        active: change.active,
        chatsInAttention: change.chatsInAttention,
        at: change.at,
      };
      for (const roomId of spaces.get(change.username) ?? []) this.queue.put(`${roomId}${SEPARATOR}${change.username}`, content);
    }
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.lookups]);
    await this.queue.idle();
  }

  stop(): void {
    this.queue.stop();
  }

  private async write(key: string, content: WorkloadContent): Promise<void> {
    const { gateway, metrics, log } = this.deps;
    const fingerprint = `${content.active}/${content.chatsInAttention}`;
    if (this.written.get(key) === fingerprint) return;
    const [roomId = '', username = ''] = key.split(SEPARATOR);
    await gateway.sendState(roomId, WORKLOAD_EVENT_TYPE, content, username);
    this.written.set(key, fingerprint);
    metrics.matrixPublishes.inc({ target: 'space_state', outcome: 'ok' });
    log.debug({ roomId, username }, 'workload state written');
  }
}
