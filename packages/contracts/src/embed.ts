import Type, { type Static } from 'typebox';
import { Check } from 'typebox/schema';

/**
 * The `postMessage` contract between the web client in an iframe (`?embed=1`) and the page that
 * embeds it (the Chattigo agent desktop). The client obeys messages only from its parent window
 * and only from an origin of `embed.allowedOrigins`; it posts only to that origin.
 */

/** Host → client: open the agent picker. */
export const OpenPickerSchema = Type.Object({ type: Type.Literal('chattigo:open-picker') });

/** Host → client: open (or start) the chat with an agent, optionally about a customer chat. */
export const OpenChatSchema = Type.Object({
  type: Type.Literal('chattigo:open-chat'),
  username: Type.String({ minLength: 1, maxLength: 64 }),
  /** The platform's id of the customer chat the agent is asking about (a context card is shown). */
  conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

export const HostMessageSchema = Type.Union([OpenPickerSchema, OpenChatSchema]);
export type HostMessage = Static<typeof HostMessageSchema>;

/** Client → host. `unread`: messages not yet read in all the agent's chats. */
export type ClientMessage =
  | { type: 'chattigo:ready' }
  | { type: 'chattigo:unread'; count: number }
  /** The client shows a chat (`chat-opened`) or stops showing it (`chat-closed`). */
  | { type: 'chattigo:chat-opened'; roomId: string }
  | { type: 'chattigo:chat-closed'; roomId: string };

/** An origin as the browser reports it (`scheme://host[:port]`), without a default port or trailing slash. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Whether `origin` is one of `allowed` (exact origin match; no wildcards). */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  const wanted = normalizeOrigin(origin);
  return wanted !== null && allowed.some((entry) => normalizeOrigin(entry) === wanted);
}

/**
 * The host message in a `message` event, or null when it must be ignored: from another window
 * than the parent, from an origin not allowed, or not a message of the contract.
 */
export function acceptHostMessage(
  event: { origin: string; data: unknown; source: unknown },
  parent: unknown,
  allowed: readonly string[],
): HostMessage | null {
  if (event.source !== parent || !isAllowedOrigin(event.origin, allowed)) return null;
  return Check(HostMessageSchema, event.data) ? event.data : null;
}
