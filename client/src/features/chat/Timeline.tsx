import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { daysAgo, formatDay } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { TimelineItem } from './timeline-model.ts';

const NEAR_BOTTOM_PX = 120;

/**
 * The scrolling list of a chat's messages (a `log` region, so new ones are announced). It stays
 * at the bottom while the person is there, and keeps their place when older messages load.
 */
export function Timeline({
  items,
  renderMessage,
  canLoadOlder,
  loadingOlder,
  onLoadOlder,
  focusEventId = null,
}: {
  items: TimelineItem[];
  /** A message to bring into view once it is shown (the chat was opened at it). */
  focusEventId?: string | null;
  renderMessage(item: Extract<TimelineItem, { kind: 'message' }>): ReactNode;
  canLoadOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
}) {
  const { t, lang } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const firstKey = useRef<string | null>(null);
  const heightBefore = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = items[0]?.key ?? null;
    const divider = firstKey.current === null ? el.querySelector<HTMLElement>('.unread-divider') : null;
    if (divider && first !== null) {
      // Opening with unread messages: start at "Mensajes nuevos" unless they all fit below.
      const top = divider.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 8;
      if (top < el.scrollHeight - el.clientHeight) {
        el.scrollTop = top;
        stick.current = false;
      } else el.scrollTop = el.scrollHeight;
    } else if (firstKey.current !== null && first !== firstKey.current && !stick.current) {
      // Older messages came in above: keep what the person was reading in place.
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstKey.current = first;
    heightBefore.current = el.scrollHeight;
  }, [items]);

  // Opened at a message: scroll it to the middle once, and stop following the bottom.
  const focused = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !focusEventId || focused.current === focusEventId) return;
    const target = [...el.querySelectorAll<HTMLElement>('[data-event-id]')].find((node) => node.dataset['eventId'] === focusEventId);
    if (!target) return;
    focused.current = focusEventId;
    stick.current = false;
    target.scrollIntoView({ block: 'center' });
    heightBefore.current = el.scrollHeight;
  }, [items, focusEventId]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    heightBefore.current = el.scrollHeight;
  };

  const now = new Date();
  const dayLabel = (ts: number) => {
    const date = new Date(ts);
    const ago = daysAgo(date, now);
    return ago === 0 ? t('today') : ago === 1 ? t('yesterday') : formatDay(lang, date);
  };

  return (
    <div className="timeline-scroller" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label={t('timelineLabel')}>
      {canLoadOlder ? (
        <div className="load-older">
          <button type="button" className="button small" onClick={onLoadOlder} disabled={loadingOlder}>
            {loadingOlder ? t('loading') : t('loadOlder')}
          </button>
        </div>
      ) : null}
      {items.length === 0 ? <p className="panel-note">{t('noMessages')}</p> : null}
      <ol className="timeline" role="log">
        {items.map((item) =>
          item.kind === 'day' ? (
            <li key={item.key} className="day-separator">
              <span>{dayLabel(item.ts)}</span>
            </li>
          ) : item.kind === 'unread' ? (
            <li key={item.key} className="unread-divider" data-testid="unread-divider">
              <span>{t('newMessages')}</span>
            </li>
          ) : (
            renderMessage(item)
          ),
        )}
      </ol>
    </div>
  );
}
