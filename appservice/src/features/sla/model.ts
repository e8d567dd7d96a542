/**
 * The answer-time SLA's rules, without storage or clock (issue 16). In a managed chat between two
 * agents, a *question* is a message that asks something (it has a `?` or `¿`) while nothing of its
 * sender is waiting for an answer; any message of the other agent answers it, and is a question back
 * only if it asks something itself — so "Gracias" or "Perfecto" at the end of a chat leaves nothing
 * waiting, and nobody is reminded of it. An unanswered question gets a reminder in the chat once its
 * SLA has passed, and is escalated to the campaign's supervisors once a second period of the same
 * length has passed.
 */

/** The open question of a chat, if any: at most one per chat. */
export interface Question {
  roomId: string;
  /** The event id of the message that asked it: the key of its reminder and escalation. */
  eventId: string;
  asker: string;
  askee: string;
  /** When it was asked (epoch ms, the homeserver's timestamp of the message). */
  askedAt: number;
  /** The campaign's SLA at the time it was asked (ms; > 0). */
  slaMs: number;
  reminded: boolean;
  escalated: boolean;
}

export interface ChatMessage {
  roomId: string;
  eventId: string;
  sender: string;
  at: number;
  /** It asks something (a `?` or `¿` in it): see `asksSomething`. */
  asks: boolean;
}

/** Whether a message's text asks something: Spanish and English questions carry `?` (and `¿`). */
export const asksSomething = (text: string): boolean => /[?¿]/.test(text);

/** What a message does to a chat's open question. */
export type QuestionStep =
  | { kind: 'none' }
  /** `answered`: the question it replaces (undefined: there was none). */
  | { kind: 'ask'; question: Question; answered: Question | undefined }
  /** The message answered the open question and asks nothing (SLA off). */
  | { kind: 'answer'; answered: Question };

/**
 * The next state of a chat between `members` after `message`, given its open question and the
 * campaign's SLA (`slaMs` 0: off, no new questions; answers still clear old ones). Messages of
 * anyone but the two members change nothing; a replay of the message that asked is a no-op.
 */
export function step(open: Question | undefined, message: ChatMessage, members: readonly [string, string], slaMs: number): QuestionStep {
  if (!members.includes(message.sender)) return { kind: 'none' };
  if (open && (open.eventId === message.eventId || open.asker === message.sender)) return { kind: 'none' };
  // No open question of the sender's: this message answers the other agent's, if any, and asks
  // back only if it asks something.
  const answered = open && open.askee === message.sender ? open : undefined;
  if (slaMs <= 0 || !message.asks) return answered ? { kind: 'answer', answered } : { kind: 'none' };
  const askee = members[0] === message.sender ? members[1] : members[0];
  return {
    kind: 'ask',
    answered,
    question: { roomId: message.roomId, eventId: message.eventId, asker: message.sender, askee, askedAt: message.at, slaMs, reminded: false, escalated: false },
  };
}

/** When the question's reminder is due (epoch ms). */
export const reminderDue = (q: Pick<Question, 'askedAt' | 'slaMs'>): number => q.askedAt + q.slaMs;

/** When the question is escalated to the supervisors: a second period after the reminder. */
export const escalationDue = (q: Pick<Question, 'askedAt' | 'slaMs'>): number => q.askedAt + 2 * q.slaMs;

export type DueAction = 'remind' | 'escalate';

/**
 * What is due for the question at `now`, in order: the reminder first (also when both are late,
 * e.g. after a restart: the reminder, then the escalation).
 */
export function dueActions(q: Question, now: number): DueAction[] {
  const actions: DueAction[] = [];
  if (!q.reminded && now >= reminderDue(q)) actions.push('remind');
  if (!q.escalated && now >= escalationDue(q)) actions.push('escalate');
  return actions;
}

/** The next time something is due for the question (undefined: nothing left). */
export function nextDue(q: Question): number | undefined {
  if (!q.reminded) return reminderDue(q);
  if (!q.escalated) return escalationDue(q);
  return undefined;
}

/** The SLA of a campaign in ms: its own (minutes, may be fractional), else the configured default; 0 = off. */
export function slaMsOf(campaignMinutes: number | null | undefined, defaultMinutes: number): number {
  const minutes = campaignMinutes ?? defaultMinutes;
  return minutes > 0 ? Math.round(minutes * 60_000) : 0;
}
