import Type, { type Static } from 'typebox';

/**
 * The custom Matrix event types of Chattigo (namespace `com.chattigo.*`), each with the schema of
 * its content. Every custom type is declared here and nowhere else.
 */

/** State of an internal chat room (state_key ""), written only by the bot (power level 100). */
export const CHAT_STATE = 'com.chattigo.chat';

export const TypificationRefSchema = Type.Object({
  code: Type.String({ minLength: 1 }),
  label: Type.String({ minLength: 1 }),
});
export type TypificationRef = Static<typeof TypificationRefSchema>;

export const ChatStateContentSchema = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** Campaign whose catalog applies; null = the global catalog. */
  campaign: Type.Union([Type.String(), Type.Null()]),
  opened_by: Type.String(),
  opened_at: Type.Integer(),
  closed_by: Type.Optional(Type.String()),
  closed_at: Type.Optional(Type.Integer()),
  typification: Type.Optional(TypificationRefSchema),
  /** The chat record made before the room was (the appservice pairs the two after a crash). */
  opening: Type.Optional(Type.String()),
});
export type ChatStateContent = Static<typeof ChatStateContentSchema>;


/**
 * State event (state_key "") in a campaign's space: the typifications that close a chat of the
 * campaign right now (its own active codes and the active global ones it does not replace).
 * Sent by the bot after every change to the campaign's catalog or to the global catalog.
 */
export const TYPIFICATIONS_EVENT = 'com.chattigo.typifications';

export const TypificationsContentSchema = Type.Object(
  {
    campaign: Type.String({ minLength: 1 }),
    typifications: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[A-Z0-9_]{1,32}$' }),
          label: Type.String({ minLength: 1, maxLength: 120 }),
          description: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TypificationsContent = Static<typeof TypificationsContentSchema>;


/**
 * An agent's workload, as state in each campaign space the agent belongs to. Sent by the bot;
 * state_key = the agent's Chattigo username (never starting with `@`, which only that user could set).
 */
export const WORKLOAD_EVENT_TYPE = 'com.chattigo.workload';

export const WorkloadContentSchema = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    active: Type.Boolean({ description: 'Whether the agent is active (docs/directory.md).' }),
    chatsInAttention: Type.Integer({ minimum: 0, maximum: 1000 }),
    at: Type.String({ format: 'date-time', description: 'When this became true.' }),
  },
  { additionalProperties: false },
);
export type WorkloadContent = Static<typeof WorkloadContentSchema>;


/**
 * State event (state_key "") of an internal chat: the customer chat the agents talk about, as the
 * platform summarised it (issue 17). Sent by the bot; a readable `m.notice` goes with it for
 * clients that hide unknown state events (Element).
 */
export const CONTEXT_EVENT_TYPE = 'com.chattigo.context';

export const ContextContentSchema = Type.Object(
  {
    conversation_id: Type.String({ minLength: 1 }),
    customer_name: Type.String({ minLength: 1 }),
    channel: Type.String({ minLength: 1 }),
    campaign: Type.String({ minLength: 1 }),
    started_at: Type.String({ format: 'date-time' }),
    link: Type.String({ minLength: 1 }),
    /** The agent who attached it. */
    attached_by: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type ContextContent = Static<typeof ContextContentSchema>;


/**
 * A content field of the bot's answer-time SLA notices (features/sla): the reminder in a chat to
 * the agent who must answer, and the escalation in a supervisor's direct chat with the bot. The
 * notice's body says the same for people and Element; the web client reads this field to notify
 * the agent who must answer.
 */
export const SLA_NOTICE_FIELD = 'com.chattigo.sla';

export const SlaNoticeSchema = Type.Object({
  kind: Type.Union([Type.Literal('reminder'), Type.Literal('escalation')]),
  /** The chat the question was asked in. */
  room_id: Type.String({ minLength: 1 }),
  /** The question's event id. */
  question: Type.String({ minLength: 1 }),
  /** Matrix user ids of who asked and who must answer. */
  asker: Type.String({ minLength: 1 }),
  askee: Type.String({ minLength: 1 }),
  asked_at: Type.Integer({ description: 'When it was asked (ms since the epoch).' }),
  sla_seconds: Type.Number(),
});
export type SlaNotice = Static<typeof SlaNoticeSchema>;

/** The SLA field of a message's content, when it has a well-formed one. */
export function slaNoticeOf(content: Record<string, unknown> | undefined): SlaNotice | null {
  const field: unknown = content?.[SLA_NOTICE_FIELD];
  if (typeof field !== 'object' || field === null) return null;
  const f = field as Record<string, unknown>;
  const text = (key: string) => typeof f[key] === 'string' && f[key] !== '';
  if ((f['kind'] !== 'reminder' && f['kind'] !== 'escalation') || !text('room_id') || !text('question') || !text('asker') || !text('askee')) return null;
  if (typeof f['asked_at'] !== 'number' || !Number.isInteger(f['asked_at']) || typeof f['sla_seconds'] !== 'number') return null;
  return {
    kind: f['kind'],
    room_id: f['room_id'] as string,
    question: f['question'] as string,
    asker: f['asker'] as string,
    askee: f['askee'] as string,
    asked_at: f['asked_at'],
    sla_seconds: f['sla_seconds'],
  };
}
