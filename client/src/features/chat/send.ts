import { EventType, MsgType, RelationType, type MatrixClient } from 'matrix-js-sdk';
import type { RoomMessageEventContent } from 'matrix-js-sdk/lib/types.js';

/**
 * The contents the chat sends for replies, edits and reactions, in the shapes Element sends and
 * reads (relations.ts reads them back). A reply carries no legacy fallback: Matrix 1.13 dropped it,
 * and Element shows the quote from `m.in_reply_to`.
 */

export function replyContent(text: string, replyTo: string): RoomMessageEventContent {
  return { msgtype: MsgType.Text, body: text, 'm.relates_to': { 'm.in_reply_to': { event_id: replyTo } } };
}

export function editContent(text: string, target: string): RoomMessageEventContent {
  return {
    msgtype: MsgType.Text,
    body: `* ${text}`,
    'm.new_content': { msgtype: MsgType.Text, body: text },
    'm.relates_to': { rel_type: RelationType.Replace, event_id: target },
  };
}

export function reactionContent(target: string, key: string) {
  return { 'm.relates_to': { rel_type: RelationType.Annotation, event_id: target, key } } as const;
}

/** The agent's message actions on one room, each failing quietly (a failed send shows on the message). */
export function messageSender(client: MatrixClient, roomId: string) {
  const quiet = (sent: Promise<unknown>) => void sent.catch(() => undefined);
  return {
    text: (text: string) => quiet(client.sendTextMessage(roomId, text)),
    reply: (text: string, replyTo: string) => quiet(client.sendMessage(roomId, replyContent(text, replyTo))),
    edit: (text: string, target: string) => quiet(client.sendMessage(roomId, editContent(text, target))),
    react: (target: string, key: string) => quiet(client.sendEvent(roomId, EventType.Reaction, reactionContent(target, key))),
    /** Deletes a message, or takes back a reaction. */
    redact: (eventId: string) => quiet(client.redactEvent(roomId, eventId)),
  };
}
