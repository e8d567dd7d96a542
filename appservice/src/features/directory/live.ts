import type { ServerResponse } from 'node:http';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { WorkloadChange } from './schemas.ts';

export interface LiveOptions {
  /**
   * At most one message per this interval: a change after a quiet spell is sent at once, changes
   * arriving sooner are gathered and sent together (latest per agent) when the interval is over.
   */
  flushMs: number;
  /** A comment line is sent this often so that proxies keep an idle stream open. */
  heartbeatMs: number;
  /** A client that does not read and lets this much pile up is disconnected. */
  maxBufferedBytes: number;
}

export const defaultLiveOptions: LiveOptions = { flushMs: 100, heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024 };

interface LiveClient {
  res: ServerResponse;
  expiry: NodeJS.Timeout;
}

/**
 * The directory's Server-Sent Events hub. Each connected client gets:
 * `event: ready` when connected (load or reload the list now), `event: workload` with
 * `{changes: [{username, active, chatsInAttention, at}]}` whenever agents change, comment
 * heartbeats, and `event: session-expired` just before the stream is closed at the end of the
 * session (reconnect with a fresh session token).
 */
export class DirectoryLive {
  private readonly clients = new Set<LiveClient>();
  private buffer = new Map<string, WorkloadChange>();
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly options: LiveOptions;
  private readonly log: Logger;
  private readonly metrics: Metrics;

  constructor(options: LiveOptions, log: Logger, metrics: Metrics) {
    this.options = options;
    this.log = log;
    this.metrics = metrics;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over `res` as an event stream until the client leaves or `expiresAt` (epoch ms). */
  attach(res: ServerResponse, expiresAt: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const expiry = setTimeout(
      () => {
        this.send(client, 'event: session-expired\ndata: {}\n\n');
        this.detach(client);
      },
      Math.max(0, expiresAt - Date.now()),
    );
    expiry.unref();
    const client: LiveClient = { res, expiry };
    this.clients.add(client);
    this.metrics.directoryLiveClients.set(this.clients.size);
    res.on('close', () => this.detach(client));
    this.send(client, 'retry: 3000\nevent: ready\ndata: {}\n\n');
    this.heartbeat ??= setInterval(() => this.broadcast(': heartbeat\n\n'), this.options.heartbeatMs).unref();
  }

  publish(changes: readonly WorkloadChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.buffer.set(change.username, change);
    this.metrics.directoryChanges.inc(changes.length);
    this.flushTimer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlush + this.options.flushMs - performance.now()));
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const client of [...this.clients]) this.detach(client);
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlush = performance.now();
    const changes = [...this.buffer.values()];
    this.buffer = new Map();
    if (changes.length === 0 || this.clients.size === 0) return;
    this.broadcast(`event: workload\ndata: ${JSON.stringify({ changes })}\n\n`);
  }

  private broadcast(chunk: string): void {
    for (const client of [...this.clients]) this.send(client, chunk);
  }

  private send(client: LiveClient, chunk: string): void {
    if (client.res.writableLength > this.options.maxBufferedBytes) {
      this.log.warn('a directory stream client is not reading; disconnecting it');
      this.detach(client);
      return;
    }
    client.res.write(chunk);
  }

  private detach(client: LiveClient): void {
    if (!this.clients.delete(client)) return;
    clearTimeout(client.expiry);
    if (!client.res.writableEnded) client.res.end();
    this.metrics.directoryLiveClients.set(this.clients.size);
    if (this.clients.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
