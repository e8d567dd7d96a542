import Type, { type Static } from 'typebox';

/**
 * The custom Matrix event types of Chattigo (namespace `com.chattigo.*`), each with the schema of
 * its content. Every custom type is declared here and nowhere else.
 */

/** State of an internal chat room (state_key ""), written only by the bot (power level 100). */
export const CHAT_STATE = 'com.chattigo.chat';

export const TypificationRef = Type.Object({
  code: Type.String({ minLength: 1 }),
  label: Type.String({ minLength: 1 }),
});

export const ChatStateContent = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** Campaign whose catalog applies; null = the global catalog. */
  campaign: Type.Union([Type.String(), Type.Null()]),
  opened_by: Type.String(),
  opened_at: Type.Integer(),
  closed_by: Type.Optional(Type.String()),
  closed_at: Type.Optional(Type.Integer()),
  typification: Type.Optional(TypificationRef),
});
export type ChatStateContent = Static<typeof ChatStateContent>;


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
