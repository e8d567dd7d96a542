import { createHmac, randomUUID } from 'node:crypto';

/** A thin client-server API caller for the benchmark: plain fetch, JSON in and out. */
export class MatrixHttp {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  async call<T = Record<string, unknown>>(method: string, path: string, token?: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ?? AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path.split('?')[0]} → ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** A user outside the appservice's namespace, registered with Synapse's shared secret. */
  async registerPlain(localpart: string, sharedSecret: string): Promise<{ userId: string; token: string }> {
    const { nonce } = await this.call<{ nonce: string }>('GET', '/_synapse/admin/v1/register');
    const password = randomUUID();
    const mac = createHmac('sha1', sharedSecret).update([nonce, localpart, password, 'notadmin'].join('\u0000')).digest('hex');
    const result = await this.call<{ user_id: string; access_token: string }>('POST', '/_synapse/admin/v1/register', undefined, {
      nonce,
      username: localpart,
      password,
      admin: false,
      mac,
    });
    return { userId: result.user_id, token: result.access_token };
  }

  /** An access token for a user of the appservice's namespace (appservice login, no password). */
  async loginAsAppservice(userId: string, asToken: string): Promise<string> {
    const result = await this.call<{ access_token: string }>('POST', '/_matrix/client/v3/login', asToken, {
      type: 'm.login.application_service',
      identifier: { type: 'm.id.user', user: userId },
      initial_device_display_name: 'bench',
    });
    return result.access_token;
  }

  send(token: string, roomId: string, content: Record<string, unknown>): Promise<{ event_id: string }> {
    return this.call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`, token, content);
  }
}

export interface SyncedEvent {
  roomId: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
  stateKey: string | undefined;
}

interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, { timeline?: { events?: { type: string; sender: string; content: Record<string, unknown>; state_key?: string }[] } }>;
    invite?: Record<string, unknown>;
  };
}

/** Filter like a real client's: lazy-loaded members, a short timeline, no presence or account data noise. */
const FILTER = JSON.stringify({
  room: { timeline: { limit: 20 }, state: { lazy_load_members: true } },
  presence: { not_types: ['*'] },
});

/**
 * A `/sync` long-poll loop like a real client's, calling `onEvent` for every timeline event, until
 * `stop()`. Errors are counted and the loop goes on after a pause.
 */
export function syncLoop(http: MatrixHttp, token: string, onEvent: (event: SyncedEvent) => void): { ready: Promise<void>; stop(): void; errors(): number } {
  const controller = new AbortController();
  let errors = 0;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  void (async () => {
    let since: string | undefined;
    while (!controller.signal.aborted) {
      try {
        const query = `filter=${encodeURIComponent(FILTER)}&timeout=${since ? 30_000 : 0}${since ? `&since=${encodeURIComponent(since)}` : ''}`;
        const body = await http.call<SyncResponse>('GET', `/_matrix/client/v3/sync?${query}`, token, undefined, AbortSignal.any([controller.signal, AbortSignal.timeout(45_000)]));
        if (since) {
          for (const [roomId, room] of Object.entries(body.rooms?.join ?? {})) {
            for (const e of room.timeline?.events ?? []) onEvent({ roomId, type: e.type, sender: e.sender, content: e.content, stateKey: e.state_key });
          }
        }
        since = body.next_batch;
        markReady();
      } catch {
        if (controller.signal.aborted) break;
        errors++;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return { ready, stop: () => controller.abort(), errors: () => errors };
}
