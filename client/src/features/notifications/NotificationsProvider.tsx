import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { useAccountData } from '../../matrix/hooks.ts';
import { PREFERENCES_EVENT, promptDismissedKey, readPreferences, type Preferences } from './preferences.ts';
import { webStorage } from '../../util/web-storage.ts';

export type Permission = NotificationPermission | 'unsupported';

export interface NotificationSettings {
  preferences: Preferences;
  /** Saves one preference in the agent's account data (shown at once, kept when the save fails: `saveFailed`). */
  setPreference(key: keyof Preferences, value: boolean): void;
  saveFailed: boolean;
  permission: Permission;
  /** Asks the browser for permission (must run in a click handler). */
  requestPermission(): Promise<void>;
  /** Whether to offer "Activar notificaciones": the browser has not been asked and the agent wants them. */
  offerPermission: boolean;
  dismissOffer(): void;
}

const SettingsContext = createContext<NotificationSettings | null>(null);

const currentPermission = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/**
 * The agent's notification settings for the signed-in tree: preferences from Matrix account data
 * (`com.chattigo.preferences`, they follow the agent to any workstation) and the browser's
 * permission, which belongs to this browser.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const client = useMatrixClient();
  const stored = useAccountData(PREFERENCES_EVENT);
  // A change shows at once; it gives way when the account data changes (its echo, or another device).
  const [local, setLocal] = useState<{ base: unknown; value: Preferences } | null>(null);
  const [saveFailed, setSaveFailed] = useState(false);
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const dismissKey = promptDismissedKey(client.getSafeUserId());
  const [dismissed, setDismissed] = useState(() => webStorage('localStorage').getItem(dismissKey) !== null);

  const preferences = local && local.base === stored ? local.value : readPreferences(stored);

  const setPreference = useCallback(
    (key: keyof Preferences, value: boolean) => {
      const next = { ...preferences, [key]: value };
      setLocal({ base: stored, value: next });
      setSaveFailed(false);
      client.setAccountData(PREFERENCES_EVENT, next).catch(() => setSaveFailed(true));
    },
    [client, preferences, stored],
  );

  const requestPermission = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      setPermission(currentPermission());
    }
  }, []);

  const dismissOffer = useCallback(() => {
    webStorage('localStorage').setItem(dismissKey, new Date().toISOString());
    setDismissed(true);
  }, [dismissKey]);

  const value = useMemo<NotificationSettings>(
    () => ({
      preferences,
      setPreference,
      saveFailed,
      permission,
      requestPermission,
      offerPermission: permission === 'default' && preferences.desktop && !dismissed,
      dismissOffer,
    }),
    [preferences, setPreference, saveFailed, permission, requestPermission, dismissed, dismissOffer],
  );
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useNotificationSettings(): NotificationSettings {
  const settings = useContext(SettingsContext);
  if (!settings) throw new Error('useNotificationSettings must be used inside <NotificationsProvider>');
  return settings;
}
