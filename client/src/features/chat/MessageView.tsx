import { memo, useRef, useState, type PointerEvent } from 'react';
import { formatTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { FileAttachment, ImageAttachment } from '../attachments/Attachment.tsx';
import { MenuItem, MessageActions } from './MessageActions.tsx';
import type { Reaction } from './relations.ts';
import type { MessageBody, MessageItem, ReplyQuote } from './timeline-model.ts';

const LONG_PRESS_MS = 500;

/** What the agent can do with messages; null in a closed (read-only) chat. */
export interface MessageHandlers {
  reply(item: MessageItem): void;
  edit(item: MessageItem): void;
  remove(item: MessageItem): void;
  react(item: MessageItem, key: string): void;
  /** Takes back one's own reaction (a redaction of the `m.reaction` event). */
  unreact(eventId: string): void;
}

function Body({ body, edited, onOpenImage }: { body: MessageBody; edited: boolean; onOpenImage?: ((url: string) => void) | undefined }) {
  const { t } = useI18n();
  const mark = edited ? <span className="edited muted"> {t('edited')}</span> : null;
  switch (body.type) {
    case 'text':
    case 'notice':
      return (
        <p className="message-text">
          {body.text}
          {mark}
        </p>
      );
    case 'image':
      return <ImageAttachment url={body.url} name={body.name} width={body.width} height={body.height} onOpen={onOpenImage ? () => onOpenImage(body.url) : undefined} />;
    case 'file':
      return <FileAttachment url={body.url} name={body.name} size={body.size} />;
    case 'redacted':
      return <p className="message-text muted">{t('redacted')}</p>;
    case 'unsupported':
      return <p className="message-text muted">{t('unsupportedMessage')}</p>;
  }
}

function Quote({ quote, nameOf, onJump }: { quote: ReplyQuote; nameOf(userId: string): string; onJump(eventId: string): void }) {
  const { t } = useI18n();
  if (!quote.senderId) return <p className="quote muted">{t('quoteUnknown')}</p>;
  const name = nameOf(quote.senderId);
  const text = quote.text ?? t('redacted');
  return (
    <button type="button" className="quote" onClick={() => onJump(quote.eventId)} aria-label={t('quoteJump', { name, text })}>
      <span className="quote-sender">{name}</span>
      <span className="quote-text">{text}</span>
    </button>
  );
}

function Reactions({ reactions, nameOf, onToggle }: { reactions: Reaction[]; nameOf(userId: string): string; onToggle: ((reaction: Reaction) => void) | null }) {
  const { t } = useI18n();
  return (
    <ul className="reactions" aria-label={t('reactionsLabel')}>
      {reactions.map((reaction) => {
        const vars = { key: reaction.key, count: reaction.count, names: reaction.senders.map(nameOf).join(', ') };
        return (
          <li key={reaction.key}>
            {onToggle ? (
              <button
                type="button"
                className={`reaction${reaction.mine ? ' mine' : ''}`}
                aria-pressed={reaction.mine !== null}
                aria-label={t(reaction.mine ? 'reactionToggleMine' : 'reactionToggleOther', vars)}
                title={vars.names}
                onClick={() => onToggle(reaction)}
              >
                {reaction.key} <span className="reaction-count">{reaction.count}</span>
              </button>
            ) : (
              <span className={`reaction${reaction.mine ? ' mine' : ''}`} title={vars.names} aria-label={t('reactionSummary', vars)}>
                {reaction.key} <span className="reaction-count">{reaction.count}</span>
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** One message of the timeline; a bot notice shows as a system line. */
export const MessageView = memo(function MessageView({
  item,
  senderName,
  nameOf,
  seen,
  highlighted = false,
  onResend,
  handlers,
  onJump,
  onOpenImage,
}: {
  item: MessageItem;
  senderName: string;
  nameOf(userId: string): string;
  seen: boolean;
  /** The message the chat was opened at (a search result). */
  highlighted?: boolean;
  onResend(key: string): void;
  handlers: MessageHandlers | null;
  onJump(eventId: string): void;
  onOpenImage?(url: string): void;
}) {
  const { t, lang } = useI18n();
  const [menuOpen, setMenuOpen] = useState(false);
  const pressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const time = new Date(item.ts);
  if (item.system) {
    return (
      <li
        className={`message system${highlighted ? ' highlighted' : ''}${item.slaReminder ? ' sla-reminder' : ''}`}
        data-testid="system-notice"
        data-sla-reminder={item.slaReminder ? 'true' : undefined}
        data-event-id={item.eventId ?? undefined}
      >
        <span className="visually-hidden">{item.slaReminder ? t('slaReminderMine') : t('systemNotice')}: </span>
        <Body body={item.body} edited={item.edited} />
        <time dateTime={time.toISOString()} className="message-time">
          {formatTime(lang, time)}
        </time>
      </li>
    );
  }
  const live = item.eventId !== null && item.status === 'sent' && item.body.type !== 'redacted';
  const actions = handlers && live ? handlers : null;
  const toggle = handlers
    ? (reaction: Reaction) => {
        if (!reaction.mine) handlers.react(item, reaction.key);
        else if (reaction.mine.eventId) handlers.unreact(reaction.mine.eventId);
      }
    : null;
  const stopPress = () => {
    if (pressTimer.current) clearTimeout(pressTimer.current);
    pressTimer.current = null;
  };
  const startPress = (event: PointerEvent) => {
    if (!actions || event.pointerType !== 'touch') return;
    stopPress();
    pressTimer.current = setTimeout(() => setMenuOpen(true), LONG_PRESS_MS);
  };

  return (
    <li
      id={item.eventId ? `message-${item.eventId}` : undefined}
      tabIndex={-1}
      className={`message ${item.mine ? 'mine' : 'theirs'}${item.continued ? ' continued' : ''} ${item.status}${menuOpen ? ' menu-open' : ''}${highlighted ? ' highlighted' : ''}`}
      data-testid="message"
      data-event-id={item.eventId ?? undefined}
      aria-current={highlighted ? 'true' : undefined}
      onPointerDown={startPress}
      onPointerUp={stopPress}
      onPointerMove={stopPress}
      onPointerCancel={stopPress}
    >
      {highlighted ? <span className="visually-hidden">{t('foundMessage')}: </span> : null}
      <p className={item.continued ? 'message-meta visually-hidden' : 'message-meta'}>
        <span className="sender">{senderName}</span>{' '}
        <time dateTime={time.toISOString()} className="message-time">
          {formatTime(lang, time)}
        </time>
      </p>
      <div className="bubble-row">
        <div className="bubble">
          {item.replyTo ? <Quote quote={item.replyTo} nameOf={nameOf} onJump={onJump} /> : null}
          <Body body={item.body} edited={item.edited} onOpenImage={onOpenImage} />
        </div>
        {actions ? (
          <MessageActions label={t('messageActions', { name: senderName })} open={menuOpen} onOpenChange={setMenuOpen} onReact={(key) => actions.react(item, key)}>
            <>
              <MenuItem onClick={() => actions.reply(item)}>{t('reply')}</MenuItem>
              {item.mine && item.body.type === 'text' ? <MenuItem onClick={() => actions.edit(item)}>{t('edit')}</MenuItem> : null}
              {item.mine ? (
                <MenuItem danger onClick={() => actions.remove(item)}>
                  {t('deleteMessage')}
                </MenuItem>
              ) : null}
            </>
          </MessageActions>
        ) : null}
      </div>
      {item.reactions.length > 0 ? <Reactions reactions={item.reactions} nameOf={nameOf} onToggle={live ? toggle : null} /> : null}
      {item.status === 'sending' ? <p className="message-state muted">{t('sending')}</p> : null}
      {item.status === 'failed' ? (
        <p className="message-state error">
          {t('sendFailed')}{' '}
          <button type="button" className="button link" onClick={() => onResend(item.key)}>
            {t('resend')}
          </button>
        </p>
      ) : null}
      {seen ? (
        <p className="message-state seen" data-testid="seen-marker">
          {t('seen')}
        </p>
      ) : null}
    </li>
  );
});
