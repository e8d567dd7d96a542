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
}: {
  items: TimelineItem[];
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
    if (firstKey.current !== null && first !== firstKey.current && !stick.current) {
      // Older messages came in above: keep what the person was reading in place.
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstKey.current = first;
    heightBefore.current = el.scrollHeight;
  }, [items]);

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
          ) : (
            renderMessage(item)
          ),
        )}
      </ol>
    </div>
  );
}
