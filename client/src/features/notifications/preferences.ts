import Type, { type Static } from 'typebox';
import { Check } from 'typebox/schema';

/**
 * The agent's notification preferences, kept in Matrix account data so that they follow the
 * agent from one workstation to the next (contact-center seats are shared) and survive clearing
 * the browser. Only this client reads them, so the type lives here rather than in
 * @chattigo/contracts (whose types the appservice also handles).
 */
export const PREFERENCES_EVENT = 'com.chattigo.preferences';

export const PreferencesSchema = Type.Object({
  /** Desktop notifications (the Notification API), when the browser allows them. */
  desktop: Type.Boolean(),
  /** A short sound with each notification. */
  sound: Type.Boolean(),
});
export type Preferences = Static<typeof PreferencesSchema>;

export const defaultPreferences: Preferences = { desktop: true, sound: true };

/** The preferences in the account data's content; anything missing or malformed falls back to the default. */
export function readPreferences(content: unknown): Preferences {
  return Check(StoredPreferencesSchema, content) ? { ...defaultPreferences, ...content } : defaultPreferences;
}

/** What may be stored: any of the fields (one written by an older client may lack some). */
const StoredPreferencesSchema = Type.Partial(PreferencesSchema);

/** localStorage key: the agent said "not now" to the permission banner (per user, per browser). */
export const promptDismissedKey = (userId: string) => `chattigo.notifications.prompt-dismissed:${userId}`;

declare module 'matrix-js-sdk/lib/@types/event.js' {
  interface AccountDataEvents {
    'com.chattigo.preferences': Partial<Preferences>;
  }
}
