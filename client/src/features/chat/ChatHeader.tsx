import { useEffect, useState, type Ref } from 'react';
import { Link } from 'react-router';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { Presence } from '../../matrix/hooks.ts';
import { paths } from '../../router/paths.ts';
import { presenceLabel } from './presence.ts';

const MINUTE_MS = 60_000;

/** The current time, again every minute ("activo hace N min" moves on by itself). */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The chat's title (the other agent), their presence, open/closed, the campaign and the close button. */
export function ChatHeader({
  title,
  headingRef,
  closed,
  campaignName,
  presence,
  onClose,
}: {
  title: string;
  headingRef: Ref<HTMLHeadingElement>;
  closed: boolean;
  campaignName: string | null;
  presence: Presence | null;
  onClose(): void;
}) {
  const { t } = useI18n();
  const now = useMinuteClock();
  const label = presenceLabel(presence, now);
  const presenceText =
    label.kind === 'active' ? t('presenceActive') : label.kind === 'ago' ? t('presenceAgo', { minutes: label.minutes }) : label.kind === 'inactive' ? t('presenceInactive') : null;
  return (
    <header className="pane-header chat-header">
      <Link to={paths.home} className="icon-button back-link" aria-label={t('back')}>
        <Icon name="back" />
      </Link>
      <div className="chat-title">
        <h2 id="chat-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        <p className="muted">
          {presenceText ? (
            <span className={`presence ${label.kind}`} data-testid="presence">
              <span className="presence-dot" aria-hidden="true" />
              {presenceText} ·{' '}
            </span>
          ) : null}
          <span className={`status-tag ${closed ? 'closed' : 'open'}`}>{closed ? t('chatClosed') : t('chatOpen')}</span>
          {campaignName ? <span> · {t('campaignLabel', { name: campaignName })}</span> : null}
        </p>
      </div>
      {!closed ? (
        <button type="button" className="button danger" onClick={onClose}>
          {t('closeChat')}
        </button>
      ) : null}
    </header>
  );
}
