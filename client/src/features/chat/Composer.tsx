import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

const TYPING_TIMEOUT_MS = 5000;

/**
 * The message box: Enter sends, Shift+Enter starts a new line (and Enter while composing with an
 * input method does neither). Reports typing to the room, and offers the file picker.
 */
export function Composer({
  onSend,
  onTyping,
  onFiles,
  attachHint,
  accept,
}: {
  onSend(text: string): void;
  onTyping(typing: boolean, timeoutMs: number): void;
  onFiles(files: File[]): void;
  attachHint: string;
  /** The file picker's allowed types. */
  accept: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const typingSince = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;

  // With a keyboard and mouse the chat opens ready to write in (on a touch screen that would pop
  // the keyboard up over the messages). Typing stops being announced when the chat closes.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) box.current?.focus({ preventScroll: true });
    return () => {
      if (typingSince.current) onTypingRef.current(false, 0);
    };
  }, []);

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
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
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
}
