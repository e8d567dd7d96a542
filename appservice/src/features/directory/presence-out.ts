import type { MatrixGateway } from '../../matrix/gateway.ts';
import { translate } from '../../i18n/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { CoalescingQueue } from './coalescing-queue.ts';
import type { DirectoryRepository } from './repository.ts';

/** What the status message shows of an agent. */
export interface Workload {
  chatsInAttention: number;
  /** Chats in attention reached the capacity the platform reported. */
  atLimit: boolean;
}

/**
 * The presence status message that shows an agent's workload in any Matrix client (Spanish):
 * "5 chats en atención", or "Al límite · 5 chats en atención" for an agent at their capacity.
 */
export function workloadStatusMessage({ chatsInAttention, atLimit }: Workload): string {
  const count = translate('es', chatsInAttention === 1 ? 'directory.workloadOne' : 'directory.workloadMany', { count: chatsInAttention });
  return atLimit ? translate('es', 'directory.atLimitStatus', { workload: count }) : count;
}

export interface PresenceOutOptions {
  concurrency: number;
  /** How long after a write an echo of the write before it may still arrive. */
  echoWindowMs: number;
}

export const defaultPresenceOutOptions: PresenceOutOptions = { concurrency: 4, echoWindowMs: 5000 };

export interface PresencePublisherDeps {
  gateway: MatrixGateway;
  /** Where the status message written is remembered as the one Matrix now shows. */
  repository: Pick<DirectoryRepository, 'statusMessageWritten'>;
  log: Logger;
  metrics: Metrics;
  options: PresenceOutOptions;
}

/**
 * Shows each agent's chats in attention as their Matrix presence `status_msg` (Element shows it
 * to the users who share a room with the agent), without ever changing whether the agent looks
 * online: the appservice writes as the agent with no device and the state `offline`. Synapse
 * combines the presence of a user's devices and shows the most present one, so `offline` from
 * the appservice adds nothing to the agent's own devices; the status message is per user and
 * outlives the offline time-out. See docs/directory.md ("Presence for Element").
 */
export class PresencePublisher {
  private readonly queue: CoalescingQueue<Workload>;
  /** Per agent: the last message written, when, and the one written before it. */
  private readonly sent = new Map<string, { message: string; at: number; previous: string | undefined }>();
  private readonly deps: PresencePublisherDeps;

  constructor(deps: PresencePublisherDeps) {
    this.deps = deps;
    const { log, options } = deps;
    this.queue = new CoalescingQueue((username, workload) => this.write(username, workload), {
      concurrency: options.concurrency,
      delayMs: 0,
      maxAttempts: 3,
      retryDelayMs: 1000,
      onError: (username, err, final) => {
        deps.metrics.matrixPublishes.inc({ target: 'presence', outcome: 'failed' });
        log.warn({ err, username, final }, 'could not set the workload status message');
      },
    });
  }

  /**
   * Makes the agent's status message show their workload, given `observed`, the status
   * message Matrix last reported for them: written when it differs (the count changed, or a
   * client replaced or cleared the message). What Matrix reports may be the late echo of our
   * write before the last one (3 → 4 quickly: the echo of "3" arrives after "4" was written):
   * that is no reason to write again. The latest value per agent wins.
   */
  ensure(username: string, workload: Workload, observed: string | null): void {
    const wanted = workloadStatusMessage(workload);
    if (observed === wanted) return;
    const last = this.sent.get(username);
    const lateEcho =
      last !== undefined && last.message === wanted && observed === last.previous && Date.now() - last.at < this.deps.options.echoWindowMs;
    if (!lateEcho) this.queue.put(username, { chatsInAttention: workload.chatsInAttention, atLimit: workload.atLimit });
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  stop(): void {
    this.queue.stop();
  }

  /**
   * Writes the message, then stores it as the one Matrix shows: a client that clears it before
   * the echo of this write reaches the appservice makes Synapse push only its own, latest state
   * (presence is pushed as current state, not as a log), which must then read as a change.
   */
  private async write(username: string, workload: Workload): Promise<void> {
    const { gateway, repository, metrics } = this.deps;
    const message = workloadStatusMessage(workload);
    this.sent.set(username, { message, at: Date.now(), previous: this.sent.get(username)?.message });
    await gateway.intent(gateway.userIdFor(username)).setPresence({ presence: 'offline', status_msg: message });
    metrics.matrixPublishes.inc({ target: 'presence', outcome: 'ok' });
    await repository.statusMessageWritten(username, message);
  }
}
