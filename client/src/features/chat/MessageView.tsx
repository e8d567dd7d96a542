import { memo } from 'react';
import { formatTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { FileAttachment, ImageAttachment } from '../attachments/Attachment.tsx';
import type { MessageBody, MessageItem } from './timeline-model.ts';

function Body({ body }: { body: MessageBody }) {
  const { t } = useI18n();
  switch (body.type) {
    case 'text':
    case 'notice':
      return <p className="message-text">{body.text}</p>;
    case 'image':
      return <ImageAttachment url={body.url} name={body.name} width={body.width} height={body.height} />;
    case 'file':
      return <FileAttachment url={body.url} name={body.name} size={body.size} />;
    case 'redacted':
      return <p className="message-text muted">{t('redacted')}</p>;
    case 'unsupported':
      return <p className="message-text muted">{t('unsupportedMessage')}</p>;
  }
}

/** One message of the timeline; a bot notice shows as a system line. */
export const MessageView = memo(function MessageView({
  item,
  senderName,
  seen,
  onResend,
}: {
  item: MessageItem;
  senderName: string;
  seen: boolean;
  onResend(key: string): void;
}) {
  const { t, lang } = useI18n();
  const time = new Date(item.ts);
  if (item.system) {
    return (
      <li className="message system" data-testid="system-notice">
        <span className="visually-hidden">{t('systemNotice')}: </span>
        <Body body={item.body} />
        <time dateTime={time.toISOString()} className="message-time">
          {formatTime(lang, time)}
        </time>
      </li>
    );
  }
  return (
    <li className={`message ${item.mine ? 'mine' : 'theirs'}${item.continued ? ' continued' : ''} ${item.status}`} data-testid="message">
      <p className={item.continued ? 'message-meta visually-hidden' : 'message-meta'}>
        <span className="sender">{senderName}</span>{' '}
        <time dateTime={time.toISOString()} className="message-time">
          {formatTime(lang, time)}
        </time>
      </p>
      <div className="bubble">
        <Body body={item.body} />
      </div>
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
