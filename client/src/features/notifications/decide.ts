import { truncateAtWord } from '../../util/truncate.ts';

/**
 * Whether something that just arrived deserves a notification (desktop and/or sound), as plain
 * data so that it can be tested without a browser or a Matrix client.
 */

export interface Arrival {
  kind: 'message' | 'new-chat';
  roomId: string;
  /** Who sent the message, or who opened the chat. */
  sender: string;
  /** `m.text`, `m.notice`, `m.image`…; for a new chat, null. */
  msgtype: string | null;
  /** When the homeserver received it (ms since the epoch). */
  ts: number;
  /**
   * For the bot's answer-time reminder (the notice's com.chattigo.sla field): the Matrix user id
   * of the agent who must answer. Absent for everything else.
   */
  slaAskee?: string | null;
}

export interface Situation {
  me: string;
  botUserId: string;
  /** The chat on screen (null: the list or the picker). */
  activeRoomId: string | null;
  /** Whether the page is visible (`document.visibilityState`). */
  visible: boolean;
  /** Whether the chat is muted (a push rule of the agent's, as Element sets it) or closed. */
  muted: boolean;
  closed: boolean;
  now: number;
}

/** Older than this, an event is history catching up (after a reconnection), not news. */
export const STALE_AFTER_MS = 10 * 60_000;

export function shouldNotify(arrival: Arrival, situation: Situation): boolean {
  // A reminder that the agent owes an answer: the one bot notice worth a notification, for that
  // agent only, even in a muted chat; not when the chat is on screen (it is highlighted there).
  if (typeof arrival.slaAskee === 'string') {
    if (arrival.sender !== situation.botUserId || arrival.slaAskee !== situation.me || situation.closed) return false;
    if (situation.now - arrival.ts > STALE_AFTER_MS) return false;
    return !(situation.visible && situation.activeRoomId === arrival.roomId);
  }
  if (arrival.sender === situation.me || arrival.sender === situation.botUserId) return false;
  if (arrival.msgtype === 'm.notice') return false;
  if (situation.muted || situation.closed) return false;
  if (situation.now - arrival.ts > STALE_AFTER_MS) return false;
  // The agent is looking at this very chat: it is already on screen.
  if (situation.visible && situation.activeRoomId === arrival.roomId) return false;
  return true;
}

const MAX_BODY = 100;

/** The first words of a message, cut at a word boundary with "…" (a notification shows little). */
export function firstWords(text: string, max = MAX_BODY): string {
  return truncateAtWord(text, max);
}

/** The subset of Matrix push rules read here (the SDK's IPushRules has more). */
export interface PushRulesLike {
  global?: {
    override?: readonly { rule_id: string; enabled: boolean; actions: readonly unknown[] }[];
    room?: readonly { rule_id: string; enabled: boolean; actions: readonly unknown[] }[];
  };
}

/**
 * Whether the agent muted the room: an enabled override or room rule named after the room that
 * does not notify (what Element writes for "mute"; it follows the agent everywhere).
 */
export function isRoomMuted(rules: PushRulesLike | undefined, roomId: string): boolean {
  const global = rules?.global;
  const candidates = [...(global?.override ?? []), ...(global?.room ?? [])];
  return candidates.some((rule) => rule.rule_id === roomId && rule.enabled && !rule.actions.includes('notify'));
}
