import type { Agent } from './matrix.ts';
import { sleep } from './time.ts';

/**
 * The appservice API as the bundled client uses it: an API session from the Matrix token, then
 * "Mensaje directo" and closes. Each call is retried (bounded) while the appservice is down, as
 * an agent pressing the button again would.
 */
export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
}

async function request(url: string, token: string, method: 'GET' | 'POST', body?: object): Promise<ApiResult> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** Retries on network errors and 5xx until `timeoutMs`; the last answer (or undefined). */
export async function retrying(call: () => Promise<ApiResult>, timeoutMs: number): Promise<ApiResult | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last: ApiResult | undefined;
  for (;;) {
    try {
      last = await call();
      if (last.status < 500) return last;
    } catch {
      last = undefined;
    }
    if (Date.now() > deadline) return last;
    await sleep(500);
  }
}

export class AgentApi {
  private jwt = '';
  private readonly baseUrl: string;
  private readonly agent: Agent;

  constructor(baseUrl: string, agent: Agent) {
    this.baseUrl = baseUrl;
    this.agent = agent;
  }

  async login(): Promise<void> {
    const result = await retrying(() => request(`${this.baseUrl}/api/v1/session`, this.agent.token, 'POST'), 30_000);
    const token = result?.body['token'];
    if (typeof token !== 'string') throw new Error(`no API session for ${this.agent.username}: ${JSON.stringify(result)}`);
    this.jwt = token;
  }

  /** "Mensaje directo": the open chat with `peer`, or a new one; undefined when it never worked. */
  async open(peer: string, timeoutMs = 30_000): Promise<{ roomId: string; created: boolean } | undefined> {
    const result = await retrying(() => request(`${this.baseUrl}/api/v1/chats`, this.jwt, 'POST', { agent: peer }), timeoutMs);
    const chat = result?.body['chat'] as { roomId?: unknown } | undefined;
    if (!result || (result.status !== 200 && result.status !== 201) || typeof chat?.roomId !== 'string') return undefined;
    return { roomId: chat.roomId, created: result.body['created'] === true };
  }

  /** Closes through the API; the status of the last answer (409 = already closed), 0 when it never answered. */
  async close(roomId: string, code: string, timeoutMs = 30_000): Promise<number> {
    const url = `${this.baseUrl}/api/v1/chats/${encodeURIComponent(roomId)}/close`;
    return (await retrying(() => request(url, this.jwt, 'POST', { code }), timeoutMs))?.status ?? 0;
  }
}

/**
 * Transactions the running appservice took as already seen (`/metrics`, since it started): a
 * clue in the table when work is lost after a Synapse restart. Undefined when it does not answer.
 */
export async function duplicateTransactions(baseUrl: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
    const line = text.split('\n').find((l) => l.startsWith('chattigo_appservice_transactions_total{') && l.includes('outcome="duplicate"'));
    return line ? Number(line.split(' ').pop()) : 0;
  } catch {
    return undefined;
  }
}
