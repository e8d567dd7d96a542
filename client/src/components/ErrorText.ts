import { ApiError, BAD_RESPONSE, NETWORK } from '../api/http.ts';
import type { MessageKey, MessageVars } from '../i18n/messages.ts';

/** The text to show for a failed call: the server's own message when it sent one. */
export function errorText(err: unknown, t: (key: MessageKey, vars?: MessageVars) => string): string {
  if (err instanceof ApiError) {
    if (err.errcode === NETWORK) return t('networkError');
    if (err.errcode !== BAD_RESPONSE && err.userMessage) return err.userMessage;
  }
  return t('unexpectedError');
}
