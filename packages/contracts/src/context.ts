import Type, { type Static } from 'typebox';

/**
 * Context cards (issue 17): an agent opening an internal chat may attach the customer chat they
 * are asking about (the platform's conversation id); the appservice asks the platform for a
 * summary (`platform.contextUrl`) and shows it at the top of the chat (event type
 * `com.chattigo.context` in event-types.ts, plus an `m.notice`).
 */

/** What the platform answers for a conversation (GET platform.contextUrl, service token). */
export const PlatformContextSchema = Type.Object({
  customerName: Type.String({ minLength: 1, maxLength: 200 }),
  channel: Type.String({ minLength: 1, maxLength: 60 }),
  campaign: Type.String({ minLength: 1, maxLength: 120 }),
  startedAt: Type.String({ format: 'date-time' }),
  link: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
});
export type PlatformContext = Static<typeof PlatformContextSchema>;

/** `POST /api/v1/chats/<roomId>/context` */
export const ContextRequestSchema = Type.Object(
  { conversationId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }) },
  { additionalProperties: false },
);
export type ContextRequest = Static<typeof ContextRequestSchema>;

/** Accepted: the card is added when the platform answers (the chat never waits for it). */
export const ContextRequestedSchema = Type.Object({ accepted: Type.Literal(true) });
