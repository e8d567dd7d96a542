import type { MessageKey } from '../../i18n/messages.ts';

/** The appservice's rule (features/accounts/passwords.ts): at least 8 characters, nothing more. */
export const MIN_PASSWORD_LENGTH = 8;

/** What is wrong with a new password and its repetition, checked before sending. */
export function checkNewPassword(password: string, repeat: string): MessageKey | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'resetTooShort';
  if (password !== repeat) return 'resetMismatch';
  return null;
}
