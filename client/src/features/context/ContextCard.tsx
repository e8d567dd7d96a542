import type { Room } from 'matrix-js-sdk';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useContextCard } from './useContextCard.ts';

/** Only web links are shown as links (the content comes from the platform through the bot). */
const safeLink = (link: string) => (/^https?:\/\//i.test(link) ? link : null);

/** The customer chat this internal chat is about, at the top of the chat (state `com.chattigo.context`). */
export function ContextCard({ room }: { room: Room }) {
  const { t, lang } = useI18n();
  const context = useContextCard(room);
  if (!context) return null;
  const link = safeLink(context.link);
  return (
    <aside className="context-card" aria-label={t('contextCardTitle')}>
      <p className="context-title">
        <strong>{t('contextCardTitle')}</strong> · {context.customer_name}
      </p>
      <p className="muted">
        {t('contextCardDetails', {
          channel: context.channel,
          campaign: context.campaign,
          started: formatDateTime(lang, new Date(context.started_at)),
        })}
        {link ? (
          <>
            {' · '}
            <a href={link} target="_blank" rel="noopener noreferrer">
              {t('contextCardOpen')}
            </a>
          </>
        ) : null}
      </p>
    </aside>
  );
}
