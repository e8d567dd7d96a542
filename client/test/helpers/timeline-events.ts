import type { EventLike } from '../../src/features/chat/timeline-model.ts';

/** The people of a chat's timeline: the agent, the other agent and the bot. */
export const me = '@chattigo_ana:x';
export const jose = '@chattigo_jose:x';
export const bot = '@chattigo:x';
/** 24 November 2026, 10:00 local time. */
export const base = new Date(2026, 10, 24, 10, 0).getTime();

export interface FakeEventFields {
  id: string;
  type: string;
  sender: string;
  ts: number;
  content: object;
  /** The content before an edit the SDK applied (else `content`). */
  original: object;
  redacted: boolean;
  beingRedacted: boolean;
  state: boolean;
  status: string | null;
  txn: string;
}

/** A timeline event as the chat reads it from matrix-js-sdk: by default José's "hola" at `base`, sent and not redacted. */
export function fakeEvent(over: Partial<FakeEventFields>): EventLike {
  const e = { id: '$e', type: 'm.room.message', sender: jose, ts: base, content: { msgtype: 'm.text', body: 'hola' }, redacted: false, beingRedacted: false, state: false, status: null, ...over };
  return {
    getId: () => e.id,
    getTxnId: () => e.txn,
    getType: () => e.type,
    getSender: () => e.sender,
    getTs: () => e.ts,
    getContent: () => e.content,
    getOriginalContent: () => e.original ?? e.content,
    isRedacted: () => e.redacted,
    isBeingRedacted: () => e.beingRedacted,
    isState: () => e.state,
    status: e.status,
  };
}
