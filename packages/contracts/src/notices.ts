import Type, { type Static } from 'typebox';

/**
 * The bot's notices (`m.notice` from the bot) carry, besides the plain `body` that stock clients
 * such as Element show, a field `com.chattigo.notice`: what the notice is about, whom it speaks to,
 * and its text in each language for the web client, which shows the one of its own language.
 *
 * The `body` is written in the language of the person the notice speaks to (their account's, from
 * the directory) and may tell Element users which command to type; `texts` leave such
 * instructions out: the web client has buttons for them. The web client trusts this field only in
 * the bot's own events.
 */
export const NOTICE_FIELD = 'com.chattigo.notice';

export const NoticeKindSchema = Type.Union([
  Type.Literal('chat.opened'),
  Type.Literal('chat.closed'),
  Type.Literal('chat.context'),
  Type.Literal('chat.reviewed'),
  Type.Literal('sla.reminder'),
  Type.Literal('sla.escalation'),
  Type.Literal('attachment.removed'),
  Type.Literal('room.policy'),
  Type.Literal('bot.greeting'),
]);
export type NoticeKind = Static<typeof NoticeKindSchema>;

const NoticeTextSchema = Type.String({ maxLength: 16_000 });

export const NoticeMetaSchema = Type.Object({
  kind: NoticeKindSchema,
  /** Matrix ids of the people the notice speaks to (the one reminded, the sender of a removed file…). */
  recipients: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 10 }),
  /** The notice for the web client, in each language, without command instructions. */
  texts: Type.Object({ es: NoticeTextSchema, en: NoticeTextSchema }),
});
export type NoticeMeta = Static<typeof NoticeMetaSchema>;
