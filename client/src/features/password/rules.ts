import { MIN_PASSWORD_LENGTH } from '@chattigo/contracts/passwords';
import type { MessageKey } from '../../i18n/messages.ts';

/** What is wrong with a new password and its repetition, checked before sending. */
export function checkNewPassword(password: string, repeat: string): MessageKey | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'resetTooShort';
  if (password !== repeat) return 'resetMismatch';
  return null;
}
