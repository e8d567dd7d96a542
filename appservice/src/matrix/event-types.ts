import Type, { type Static } from 'typebox';

/**
 * Chattigo's own Matrix event types, each with its content schema. Clients that know them (the
 * bundled one) read them; stock clients see the bot's m.notice messages instead.
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
