import Type from 'typebox';
import { Check } from 'typebox/schema';
import { truncateAtWord } from '../../util/truncate.ts';

/**
 * The Matrix relations a chat shows, read from event contents as plain data (pure, tested without
 * a homeserver), in the shapes Element sends and reads:
 * - a reply: `m.relates_to: {'m.in_reply_to': {event_id}}`, maybe with the legacy fallback
 *   (`> <@user> quoted…` lines and an empty line at the start of `body`);
 * - an edit: `m.relates_to: {rel_type: 'm.replace', event_id}` with the new text in `m.new_content`
 *   (its own `body` is `* new text` for clients that know no edits);
 * - a reaction: an `m.reaction` event, `m.relates_to: {rel_type: 'm.annotation', event_id, key}`.
 */

export const REPLACE = 'm.replace';
export const ANNOTATION = 'm.annotation';
export const REACTION_TYPE = 'm.reaction';

const ReplyRelation = Type.Object({ 'm.relates_to': Type.Object({ 'm.in_reply_to': Type.Object({ event_id: Type.String() }) }) });

const EditRelation = Type.Object({
  'm.relates_to': Type.Object({ rel_type: Type.Literal(REPLACE), event_id: Type.String() }),
  'm.new_content': Type.Object({}),
});

const Annotation = Type.Object({
  'm.relates_to': Type.Object({ rel_type: Type.Literal(ANNOTATION), event_id: Type.String(), key: Type.String({ minLength: 1 }) }),
});

/** The event a message answers, or null. */
export function replyTarget(content: object): string | null {
  return Check(ReplyRelation, content) ? content['m.relates_to']['m.in_reply_to'].event_id : null;
}

/** The edit an event carries: the message it replaces and the new content, or null. */
export function editOf(content: object): { target: string; newContent: object } | null {
  return Check(EditRelation, content) ? { target: content['m.relates_to'].event_id, newContent: content['m.new_content'] } : null;
}

/** The reaction an `m.reaction` event carries, or null. */
export function annotationOf(content: object): { target: string; key: string } | null {
  return Check(Annotation, content) ? { target: content['m.relates_to'].event_id, key: content['m.relates_to'].key } : null;
}

/**
 * The body without the legacy reply fallback: the leading lines that start with `>` and the empty
 * line after them. Only stripped from a message that is a reply (a quote typed by hand stays).
 */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]?.startsWith('>')) i++;
  if (i === 0) return body;
  if (lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/** `formatted_body` without Element's `<mx-reply>…</mx-reply>` fallback. */
export function stripReplyFallbackHtml(html: string): string {
  return html.replace(/^\s*<mx-reply>[\s\S]*?<\/mx-reply>/, '');
}

/** The first words of a text for a reply's quote, on one line. */
export function preview(text: string, max = 80): string {
  return truncateAtWord(text, max);
}

export interface Reaction {
  key: string;
  count: number;
  /** Who reacted, in the order they did. */
  senders: string[];
  /** The agent's own reaction with this key (to take it back by redacting it), or null. */
  mine: { eventId: string | null } | null;
}

export interface ReactionSource {
  eventId: string | null;
  sender: string;
  target: string;
  key: string;
}

/** Reactions per target event: one entry per key, in the order keys first appeared, one vote per sender. */
export function aggregateReactions(sources: readonly ReactionSource[], me: string): Map<string, Reaction[]> {
  const byTarget = new Map<string, Reaction[]>();
  for (const source of sources) {
    let reactions = byTarget.get(source.target);
    if (!reactions) byTarget.set(source.target, (reactions = []));
    let reaction = reactions.find((r) => r.key === source.key);
    if (!reaction) reactions.push((reaction = { key: source.key, count: 0, senders: [], mine: null }));
    if (reaction.senders.includes(source.sender)) continue;
    reaction.senders.push(source.sender);
    reaction.count++;
    if (source.sender === me) reaction.mine = { eventId: source.eventId };
  }
  return byTarget;
}
