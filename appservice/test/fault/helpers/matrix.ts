/**
 * Raw client-server calls for the fault tests. Raw `fetch` on purpose: the SDK would strip or
 * re-encode the hostile contents, and every call here must fail softly (a send during an outage
 * is simply not sent) and in bounded time.
 */

export interface Agent {
  username: string;
  userId: string;
  token: string;
}

export interface RoomEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  state_key?: string;
  content: Record<string, unknown>;
  unsigned?: Record<string, unknown>;
}

let txnCounter = 0;
const txnId = () => `fault-${process.pid}-${Date.now()}-${++txnCounter}`;

async function call(url: string, token: string, init: RequestInit = {}, timeoutMs = 5000): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
}

const room = (hs: string, roomId: string, rest: string) => `${hs}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/${rest}`;

/** Sends a raw JSON body as an event; resolves to its event id, or undefined when it was not accepted. */
export async function sendRaw(hs: string, token: string, roomId: string, body: string, type = 'm.room.message'): Promise<string | undefined> {
  try {
    const response = await call(room(hs, roomId, `send/${encodeURIComponent(type)}/${txnId()}`), token, { method: 'PUT', body });
    if (!response.ok) return undefined;
    const json = (await response.json()) as { event_id?: unknown };
    return typeof json.event_id === 'string' ? json.event_id : undefined;
  } catch {
    return undefined;
  }
}

export const sendText = (hs: string, agent: Agent, roomId: string, text: string) =>
  sendRaw(hs, agent.token, roomId, JSON.stringify({ msgtype: 'm.text', body: text }));

/** Uploads bytes as `agent`; resolves to the mxc URI. */
export async function upload(hs: string, agent: Agent, bytes: Uint8Array, contentType: string): Promise<string> {
  const response = await call(`${hs}/_matrix/media/v3/upload?filename=fault.png`, agent.token, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': contentType },
  });
  const json = (await response.json()) as { content_uri?: unknown };
  if (!response.ok || typeof json.content_uri !== 'string') throw new Error(`upload failed: ${response.status}`);
  return json.content_uri;
}

/** The room's timeline, oldest first (at most `maxPages` pages of 100). */
export async function history(hs: string, token: string, roomId: string, maxPages = 20): Promise<RoomEvent[]> {
  const events: RoomEvent[] = [];
  let from: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ dir: 'b', limit: '100', ...(from ? { from } : {}) });
    const response = await call(room(hs, roomId, `messages?${query}`), token, {}, 15_000);
    if (!response.ok) throw new Error(`/messages of ${roomId}: ${response.status}`);
    const json = (await response.json()) as { chunk: RoomEvent[]; end?: string };
    events.push(...json.chunk);
    if (!json.end || json.chunk.length === 0) break;
    from = json.end;
  }
  return events.reverse();
}

/** A state event's content, or undefined when there is none (or it cannot be read). */
export async function stateOf<T extends object>(hs: string, token: string, roomId: string, type: string): Promise<T | undefined> {
  try {
    const response = await call(room(hs, roomId, `state/${encodeURIComponent(type)}/`), token);
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The rooms the token's user has joined. */
export async function joinedRooms(hs: string, token: string): Promise<string[]> {
  const response = await call(`${hs}/_matrix/client/v3/joined_rooms`, token);
  if (!response.ok) throw new Error(`/joined_rooms: ${response.status}`);
  return ((await response.json()) as { joined_rooms: string[] }).joined_rooms;
}

/** Polls Synapse's /health until it answers (bounded). */
export async function synapseHealthy(hs: string): Promise<boolean> {
  return fetch(`${hs}/health`, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.ok,
    () => false,
  );
}
