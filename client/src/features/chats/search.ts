import type { RoomEventsSearch } from '../../api/schemas.ts';
import { fold } from '../../util/fold.ts';

/**
 * The search across the agent's chats, as plain data: the request Synapse's server-side search
 * gets (`POST /_matrix/client/v3/search`, `room_events`), the results it gives back and the
 * snippet of each with the searched words marked — marked ignoring accents and case, whatever
 * Synapse matched (see README: whole words, case-insensitive, accents as written).
 */

/** Fewer characters than this are not searched. */
export const MIN_SEARCH_CHARS = 2;

export interface SearchHit {
  eventId: string;
  roomId: string;
  senderId: string;
  ts: number;
  text: string;
}

export const SEARCH_PAGE = 20;

/** The `room_events` request (less the order, newest first): messages, not the bot's notices, in these rooms. */
export function searchRequest(term: string, roomIds: readonly string[], botUserId: string) {
  return {
    search_term: term,
    keys: ['content.body' as const],
    filter: { rooms: [...roomIds], not_senders: [botUserId], types: ['m.room.message'], limit: SEARCH_PAGE },
  };
}

/** The hits of Synapse's answer, newest first (a message with no text body, if any, left out). */
export function searchHits(answer: RoomEventsSearch): SearchHit[] {
  return (answer.search_categories.room_events.results ?? []).flatMap(({ result }) =>
    result.content.body === undefined
      ? []
      : [{ eventId: result.event_id, roomId: result.room_id, senderId: result.sender, ts: result.origin_server_ts, text: result.content.body }],
  );
}

/** The words of a search to mark in the results: Synapse's operators (`or`, `-word`) and quotes left out. */
export function searchWords(term: string, highlights: readonly string[] = []): string[] {
  const typed = term
    .split(/\s+/)
    .filter((w) => !w.startsWith('-'))
    .flatMap((w) => w.match(/[\p{L}\p{N}_]+/gu) ?? [])
    .filter((w) => w.toLowerCase() !== 'or');
  const words = new Set([...typed, ...highlights].map(fold).filter((w) => w.length > 0));
  // Longest first, so that "ventas" is marked whole rather than "venta" + "s".
  return [...words].sort((a, b) => b.length - a.length);
}

export interface Segment {
  text: string;
  match: boolean;
}

/** `text` folded (accents off, lower case) with, for each folded character, where it came from. */
function foldWithMap(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const piece = fold(char);
    folded += piece;
    for (let i = 0; i < piece.length; i++) origin.push(index);
    index += char.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** The ranges of `text` (start, end in the original) where one of `words` occurs, ignoring accents and case. */
function matchRanges(text: string, words: readonly string[]): [number, number][] {
  const { folded, origin } = foldWithMap(text);
  const ranges: [number, number][] = [];
  let at = 0;
  while (at < folded.length) {
    const word = words.find((w) => folded.startsWith(w, at));
    if (word) {
      ranges.push([origin[at] ?? 0, origin[at + word.length] ?? text.length]);
      at += word.length;
    } else {
      at++;
    }
  }
  return ranges;
}

const SNIPPET_CHARS = 90;

/**
 * The part of a message a result shows, around its first match (about `max` characters, "…"
 * where cut), split into marked and unmarked segments.
 */
export function snippet(text: string, words: readonly string[], max = SNIPPET_CHARS): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = matchRanges(flat, words);
  let start = 0;
  let end = flat.length;
  if (flat.length > max) {
    const first = ranges[0]?.[0] ?? 0;
    start = Math.max(0, Math.min(first - Math.floor(max / 3), flat.length - max));
    if (start > 0) {
      const space = flat.indexOf(' ', start);
      if (space !== -1 && space < first) start = space + 1;
    }
    end = Math.min(flat.length, start + max);
    if (end < flat.length) {
      const space = flat.lastIndexOf(' ', end);
      if (space > start && space > (ranges[0]?.[1] ?? 0)) end = space;
    }
  }
  const segments: Segment[] = [];
  const push = (piece: string, match: boolean) => {
    if (piece) segments.push({ text: piece, match });
  };
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    push(flat.slice(at, Math.max(at, from)), false);
    push(flat.slice(Math.max(at, from), Math.min(to, end)), true);
    at = Math.min(to, end);
  }
  push(flat.slice(at, end), false);
  if (start > 0) segments.unshift({ text: '…', match: false });
  if (end < flat.length) segments.push({ text: '…', match: false });
  return segments;
}
