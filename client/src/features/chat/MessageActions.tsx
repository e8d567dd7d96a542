import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/** The reactions offered in a message's menu (any key sent by another client is shown too). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/**
 * A message's "⋯" button and the small menu it opens: quick reactions, then the actions given.
 * A plain disclosure (Tab moves through it, Escape closes it and returns to the button); it also
 * opens with a long press on the message (`open` from outside). Closes when focus leaves it.
 */
export function MessageActions({
  label,
  open,
  onOpenChange,
  onReact,
  children,
}: {
  label: string;
  open: boolean;
  onOpenChange(open: boolean): void;
  onReact(key: string): void;
  /**
   * The actions, as `.menu-item` buttons: a click runs one, then (bubbling here) closes the menu
   * with focus back on "⋯"; what the action focuses in an effect (the composer, a dialog) wins.
   */
  children: ReactNode;
}) {
  const { t } = useI18n();
  const menuId = useId();
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) menu.current?.querySelector('button')?.focus();
  }, [open]);
  const close = (refocus: boolean) => {
    onOpenChange(false);
    if (refocus) trigger.current?.focus();
  };
  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      close(true);
    }
  };
  return (
    <div
      className={`message-actions${open ? ' open' : ''}`}
      onKeyDown={keyDown}
      onBlur={(event) => {
        if (open && !event.currentTarget.contains(event.relatedTarget)) onOpenChange(false);
      }}
    >
      <button
        ref={trigger}
        type="button"
        className="icon-button actions-trigger"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => onOpenChange(!open)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          className="message-menu"
          role="group"
          aria-label={label}
          onClick={(event) => {
            if (event.target instanceof Element && event.target.closest('.menu-item')) close(true);
          }}
        >
          <div className="quick-reactions">
            {QUICK_REACTIONS.map((key) => (
              <button
                key={key}
                type="button"
                className="reaction-choice"
                aria-label={t('reactWith', { key })}
                onClick={() => {
                  onReact(key);
                  close(true);
                }}
              >
                {key}
              </button>
            ))}
          </div>
          {children}
        </div>
      ) : null}
    </div>
  );
}

/** One action of the menu; `danger` for one that destroys something (deleting the message). */
export function MenuItem({ danger = false, onClick, children }: { danger?: boolean; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className={danger ? 'menu-item danger' : 'menu-item'} onClick={onClick}>
      {children}
    </button>
  );
}
