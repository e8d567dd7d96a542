/**
 * Unread messages of a room, counted on the client. Synapse computes no notification counts for
 * users of an appservice's exclusive namespace (every agent is one), so the count comes from the
 * timeline: messages from others after the agent's read receipt, or after the agent's own last
 * message, which reads everything before it. Only loaded events are counted.
 */
export interface UnreadEvent {
  getId(): string | undefined;
  getType(): string;
  getSender(): string | undefined;
  isRedacted(): boolean;
}

export function countUnread(events: readonly UnreadEvent[], readUpTo: string | null, me: string): number {
  let count = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!event) continue;
    if ((readUpTo !== null && event.getId() === readUpTo) || event.getSender() === me) break;
    if (event.getType() === 'm.room.message' && !event.isRedacted()) count++;
  }
  return count;
}
