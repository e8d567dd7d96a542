import type { ServerResponse } from 'node:http';
import type { SessionState } from '../accounts/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { WorkloadChange } from '@chattigo/contracts/directory';

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

/** Reads where the sessions of these accounts stand (from the database). */
export type SessionStateReader = (usernames: readonly string[]) => Promise<Map<string, SessionState>>;

/** The session a stream was opened with. */
export interface StreamSession {
  username: string;
  /** When its token was issued (epoch ms). */
  issuedAt: number;
  /** When its token expires (epoch ms): the stream ends then. */
  expiresAt: number;
}

export interface DirectoryLiveDeps {
  log: Logger;
  metrics: Metrics;
  options: LiveOptions;
  /**
   * With it, every heartbeat also checks the sessions of the connected accounts, so a stream
   * whose sessions were ended by another replica (or deactivated) ends within a heartbeat.
   */
  readSessions?: SessionStateReader | undefined;
}

interface LiveClient {
  res: ServerResponse;
  session: StreamSession;
  expiry: NodeJS.Timeout;
}

/**
 * The directory's Server-Sent Events hub. Each connected client gets:
 * `event: ready` when connected (load or reload the list now), `event: workload` with
 * `{changes: [{username, active, chatsInAttention, at}]}` whenever agents change, comment
 * heartbeats, and `event: session-expired` just before the stream is closed at the end of the
 * session — its token expired, or its sessions were ended by a password change or deactivation
 * (reconnect with a fresh session token).
 */
export class DirectoryLive {
  private readonly clients = new Set<LiveClient>();
  private buffer = new Map<string, WorkloadChange>();
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly deps: DirectoryLiveDeps;

  constructor(deps: DirectoryLiveDeps) {
    this.deps = deps;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over `res` as an event stream until the client leaves or its session ends. */
  attach(res: ServerResponse, session: StreamSession): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const expiry = setTimeout(() => this.expire(client), Math.max(0, session.expiresAt - Date.now()));
    expiry.unref();
    const client: LiveClient = { res, session, expiry };
    this.clients.add(client);
    this.deps.metrics.directoryLiveClients.set(this.clients.size);
    res.on('close', () => this.detach(client));
    this.send(client, 'retry: 3000\nevent: ready\ndata: {}\n\n');
    this.heartbeat ??= setInterval(() => {
      this.broadcast(': heartbeat\n\n');
      void this.checkSessions();
    }, this.deps.options.heartbeatMs).unref();
  }

  publish(changes: readonly WorkloadChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.buffer.set(change.username, change);
    this.deps.metrics.directoryChanges.inc(changes.length);
    this.flushTimer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlush + this.deps.options.flushMs - performance.now()));
  }

  /** Tells every client to load the list again (`event: ready`): a change set too large to send. */
  reload(): void {
    this.buffer = new Map();
    this.broadcast('event: ready\ndata: {}\n\n');
  }

  /** Ends the streams of `username` opened with a token issued before `at` (epoch ms). */
  endSessions(username: string, at: number): number {
    let ended = 0;
    for (const client of [...this.clients]) {
      if (client.session.username !== username || client.session.issuedAt >= at) continue;
      this.expire(client);
      ended++;
    }
    if (ended > 0) this.deps.log.info({ username, streams: ended }, 'directory streams ended with their sessions');
    return ended;
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
    if (client.res.writableLength > this.deps.options.maxBufferedBytes) {
      this.deps.log.warn('a directory stream client is not reading; disconnecting it');
      this.detach(client);
      return;
    }
    client.res.write(chunk);
  }

  /** Ends the streams whose account is gone, deactivated or has had its sessions ended since. */
  private async checkSessions(): Promise<void> {
    const { readSessions } = this.deps;
    if (!readSessions || this.checking || this.clients.size === 0) return;
    this.checking = true;
    try {
      const states = await readSessions([...new Set([...this.clients].map((c) => c.session.username))]);
      for (const client of [...this.clients]) {
        const state = states.get(client.session.username);
        const current = state?.active === true && (state.validAfter === null || client.session.issuedAt >= state.validAfter);
        if (!current) this.expire(client);
      }
    } catch (err) {
      this.deps.log.warn({ err }, 'could not check the sessions of the directory streams');
    } finally {
      this.checking = false;
    }
  }

  private expire(client: LiveClient): void {
    this.send(client, 'event: session-expired\ndata: {}\n\n');
    this.detach(client);
  }

  private detach(client: LiveClient): void {
    if (!this.clients.delete(client)) return;
    clearTimeout(client.expiry);
    if (!client.res.writableEnded) client.res.end();
    this.deps.metrics.directoryLiveClients.set(this.clients.size);
    if (this.clients.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
