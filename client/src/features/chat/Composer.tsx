import { useEffect, useEffectEvent, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

const TYPING_TIMEOUT_MS = 5000;

/** What the next message does besides being sent: answer a message, or replace one's own. */
export interface ComposerContext {
  kind: 'reply' | 'edit';
  /** "Respondiendo a Ana" / "Editando su mensaje". */
  title: string;
  /** The first words of the message answered or edited. */
  quote: string;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line (and Enter while composing with an
 * input method does neither). Reports typing to the room, and offers the file picker. With a
 * `context` (a reply or an edit, keyed by the page so that an edit starts from its text) it shows
 * what is answered or edited above the box; Escape or its button cancels.
 */
export function Composer({
  onSend,
  onTyping,
  onFiles,
  attachHint,
  accept,
  context,
  initialText = '',
  onCancelContext,
}: {
  onSend(text: string): void;
  onTyping(typing: boolean, timeoutMs: number): void;
  onFiles(files: File[]): void;
  attachHint: string;
  /** The file picker's allowed types. */
  accept: string;
  context?: ComposerContext | null;
  initialText?: string;
  onCancelContext?(): void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(initialText);
  const typingSince = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const stopTypingOnClose = useEffectEvent(() => onTyping(false, 0));

  // With a keyboard and mouse the chat opens ready to write in (on a touch screen that would pop
  // the keyboard up over the messages). Typing stops being announced when the chat closes.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) box.current?.focus({ preventScroll: true });
    return () => {
      if (typingSince.current) stopTypingOnClose();
    };
  }, []);

  // Replying or editing: the box is where the agent goes next (on a phone too).
  const contextKind = context?.kind ?? null;
  useEffect(() => {
    if (contextKind) box.current?.focus({ preventScroll: true });
  }, [contextKind]);

  const stopTyping = () => {
    if (!typingSince.current) return;
    typingSince.current = 0;
    onTyping(false, 0);
  };

  const change = (value: string) => {
    setText(value);
    if (!value.trim()) {
      stopTyping();
      return;
    }
    // Tell the room again only when the last notice is about to run out.
    if (Date.now() - typingSince.current > TYPING_TIMEOUT_MS - 1000) {
      typingSince.current = Date.now();
      onTyping(true, TYPING_TIMEOUT_MS);
    }
  };

  const send = () => {
    const message = text.trim();
    if (!message) return;
    onSend(message);
    setText('');
    stopTyping();
    box.current?.focus();
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape' && context && onCancelContext) {
      event.preventDefault();
      onCancelContext();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const form = (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <input
        ref={fileInput}
        type="file"
        accept={accept}
        multiple
        hidden
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
        data-testid="file-input"
      />
      <button type="button" className="icon-button attach" onClick={() => fileInput.current?.click()} aria-label={t('attach')} title={attachHint}>
        <Icon name="attach" />
      </button>
      <label htmlFor="composer-text" className="visually-hidden">
        {t('composerLabel')}
      </label>
      <textarea
        ref={box}
        id="composer-text"
        rows={1}
        value={text}
        placeholder={t('composerPlaceholder')}
        onChange={(e) => change(e.target.value)}
        onKeyDown={keyDown}
        onBlur={stopTyping}
        aria-describedby="composer-hint"
      />
      <span id="composer-hint" className="visually-hidden">
        {t('composerKeys')} {attachHint}
      </span>
      <button type="submit" className="button primary" disabled={!text.trim()}>
        {t('send')}
      </button>
    </form>
  );
  if (!context) return form;
  return (
    <div className="composer-with-context">
      <div className={`composer-context ${context.kind}`} data-testid="composer-context">
        <p>
          <strong>{context.title}</strong> <span className="muted">{context.quote}</span>
        </p>
        <button type="button" className="icon-button" onClick={onCancelContext} aria-label={context.kind === 'edit' ? t('cancelEdit') : t('cancelReply')}>
          <Icon name="close" />
        </button>
      </div>
      {form}
    </div>
  );
}
