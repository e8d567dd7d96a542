import { createHash } from 'node:crypto';
import { Method, MsgType } from 'matrix-js-sdk';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Language } from '@chattigo/contracts/language';
import { NOTICE_FIELD, type NoticeKind } from '@chattigo/contracts/notices';
import { perLanguage, render, type Message } from '../i18n/index.ts';
import type { Queryable } from '../db/database.ts';
import type { MatrixGateway } from './gateway.ts';
import { createNoticeRepository, type NoticeExtra, type NoticeRecord, type NoticeRepository } from './notice-repository.ts';

/** A notice to send: its plain body (what stock clients show) and what it carries besides. */
export interface Notice extends NoticeExtra {
  body: string;
}

/** Longest notice sent in one message; Synapse refuses events over 64 KiB. */
export const MAX_NOTICE_LENGTH = 16_000;

/** Cuts a long text at a line break and says that it was cut. */
export function fitNotice(text: string, max = MAX_NOTICE_LENGTH): string {
  if (text.length <= max) return text;
  const note = '\n… (respuesta recortada / reply truncated)';
  const room = max - note.length;
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > room / 2 ? cut : room)}${note}`;
}

/** The Matrix transaction id of a notice: derived from its key, so a resend is the same send. */
export function noticeTxnId(key: string): string {
  return `chattigo-notice-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * The content field holding the transaction id a notice was sent with. Synapse remembers the
 * transactions of an appservice in memory only: a notice it stored just before it was stopped,
 * whose answer never reached the appservice, would be stored again when re-sent after its restart.
 * A notice re-sent is therefore first looked for in the room by this field.
 */
export const NOTICE_TXN_FIELD = 'com.chattigo.txn_id';

/** How many of the bot's latest messages in a room are looked through for a notice re-sent. */
const RESEND_LOOKBACK = 50;

const BotMessagesPage = Type.Object({
  chunk: Type.Array(Type.Object({ sender: Type.String(), content: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })),
});

/**
 * The bot's notices, sent exactly once per cause. A notice is recorded under a key derived from
 * what caused it (`reply:<event id>`, `closed:<room id>`, …) before it is sent, and sent with a
 * transaction id derived from that key: a replay within Synapse's transaction window is
 * de-duplicated by Synapse, and a notice recorded as sent is never sent again. A notice recorded
 * by an earlier attempt and not marked sent may have reached the room all the same (the answer was
 * lost, and Synapse restarted since): it is looked for there before it is sent again. A failed send
 * throws, so the event that caused it is retried by the processor.
 */
export class NoticeService {
  readonly repo: NoticeRepository;
  private readonly gateway: MatrixGateway;

  constructor(deps: { db: Queryable; gateway: MatrixGateway }) {
    this.repo = createNoticeRepository(deps.db);
    this.gateway = deps.gateway;
  }

  /** Records (if new) and sends the notice with this key; the first recorded one wins. */
  async send(key: string, roomId: string, notice: Notice | string, inReplyTo?: string): Promise<NoticeRecord> {
    const { body, ...extra } = typeof notice === 'string' ? { body: notice } : notice;
    const { created, ...held } = await this.repo.record({
      key,
      roomId,
      body: fitNotice(body),
      extra: Object.keys(extra).length > 0 ? extra : null,
      inReplyTo: inReplyTo ?? null,
    });
    await this.deliver(held, { firstAttempt: created });
    return held;
  }

  /**
   * Sends a recorded notice that was not sent yet (a no-op for one already sent). Unless this is
   * the `firstAttempt` (the caller recorded it just now), it is first looked for in the room.
   */
  async deliver(notice: NoticeRecord, { firstAttempt = false }: { firstAttempt?: boolean } = {}): Promise<void> {
    if (notice.sent) return;
    const txnId = noticeTxnId(notice.key);
    if (firstAttempt || !(await this.inRoom(notice.roomId, txnId))) {
      await putNotice(this.gateway, notice.roomId, { ...noticeContent(notice), [NOTICE_TXN_FIELD]: txnId }, txnId);
    }
    await this.repo.markSent(notice.key);
  }

  /** Whether one of the bot's latest messages in the room was sent with this transaction id. */
  private async inRoom(roomId: string, txnId: string): Promise<boolean> {
    const filter = JSON.stringify({ senders: [this.gateway.botUserId], types: ['m.room.message'] });
    const page: unknown = await this.gateway
      .intent()
      .http.authedRequest(Method.Get, `/rooms/${encodeURIComponent(roomId)}/messages`, { dir: 'b', limit: String(RESEND_LOOKBACK), filter });
    if (!Value.Check(BotMessagesPage, page)) throw new Error(`unexpected /messages response for ${roomId}`);
    return page.chunk.some((e) => e.sender === this.gateway.botUserId && e.content?.[NOTICE_TXN_FIELD] === txnId);
  }
}

export interface NoticeWords {
  kind: NoticeKind;
  /** Matrix ids of the people the notice speaks to. */
  recipients: readonly string[];
  /** Their language: the plain body (stock clients) is written in it alone. */
  lang: Language;
  /** The text for stock clients (it may say which command to type). */
  text: Message;
  /** The text for the web client, which has buttons instead of commands; `text` when the same. */
  web?: Message;
  /** Someone the text names (its parameter `param` holds their display name): a pill in the HTML version, and a mention. */
  mention?: { param: string; userId: string };
}

/** Text made safe for `formatted_body`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PILL_MARK = '\u0000';

/** `text` in `lang` as HTML, its parameter `param` (a display name) as a pill to `userId`. */
function withPill(lang: Language, text: Message, mention: { param: string; userId: string }): string {
  const name = text.params[mention.param];
  const shown = typeof name === 'string' ? name : mention.userId;
  const marked = render(lang, { ...text, params: { ...text.params, [mention.param]: PILL_MARK } });
  const pill = `<a href="https://matrix.to/#/${encodeURIComponent(mention.userId)}">${escapeHtml(shown)}</a>`;
  return escapeHtml(marked).replace(PILL_MARK, pill);
}

/**
 * A notice written for people: the body in its recipient's language only, and the web client's
 * text in each language (it shows the one of its own), without command instructions.
 */
export function composeNotice(words: NoticeWords): Notice {
  const web = words.web ?? words.text;
  const notice: Notice = {
    body: render(words.lang, words.text),
    meta: { kind: words.kind, recipients: [...words.recipients], texts: perLanguage((lang) => render(lang, web)) },
  };
  if (words.mention) {
    notice.html = withPill(words.lang, words.text, words.mention);
    notice.mentions = [words.mention.userId];
  }
  return notice;
}

/** The language an account is spoken to in (from the directory), or null when it has none. */
export type LanguageOf = (username: string) => Promise<Language | null>;

/** The language to write to one Matrix user in: their account's (users of the namespace), else Spanish. */
export async function readerLanguage(gateway: Pick<MatrixGateway, 'usernameOf'>, languageOf: LanguageOf, userId: string): Promise<Language> {
  const username = gateway.usernameOf(userId);
  return sharedLanguage([username ? await languageOf(username) : null]);
}

/** The language of a text for several readers: the one they share, else Spanish (the product's default). */
export function sharedLanguage(languages: readonly (Language | null)[]): Language {
  const known = new Set(languages.filter((l): l is Language => l !== null));
  const [only] = known;
  return known.size === 1 && only ? only : 'es';
}

/** The `m.room.message` content of a recorded notice. */
export function noticeContent(notice: Pick<NoticeRecord, 'body' | 'extra' | 'inReplyTo'>): Record<string, unknown> {
  const { html, mentions, meta, fields } = notice.extra ?? {};
  // A feature's own fields first: what follows (msgtype, body, mentions…) always wins.
  const content: Record<string, unknown> = { ...fields, msgtype: MsgType.Notice, body: notice.body };
  if (html) Object.assign(content, { format: 'org.matrix.custom.html', formatted_body: html });
  if (mentions) content['m.mentions'] = { user_ids: mentions };
  if (meta) content[NOTICE_FIELD] = meta;
  if (notice.inReplyTo) content['m.relates_to'] = { 'm.in_reply_to': { event_id: notice.inReplyTo } };
  return content;
}

/**
 * Sends a notice that is not recorded, as the bot, with a transaction id derived from its cause
 * (a retried event sends the same transaction, which Synapse de-duplicates).
 */
export async function sendNotice(gateway: MatrixGateway, roomId: string, notice: Notice, txnId: string): Promise<void> {
  const { body, ...extra } = notice;
  await putNotice(gateway, roomId, noticeContent({ body, extra, inReplyTo: null }), txnId);
}

async function putNotice(gateway: MatrixGateway, roomId: string, content: Record<string, unknown>, txnId: string): Promise<void> {
  const path = `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`;
  await gateway.intent().http.authedRequest(Method.Put, path, undefined, content);
}
