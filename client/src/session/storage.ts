import Type from 'typebox';
import { Check } from 'typebox/schema';
import type { MatrixCredentials } from '../api/public.ts';
import { webStorage, type KeyValueStore } from '../util/web-storage.ts';

/**
 * The Matrix login survives a reload in localStorage: homeserver URL, user id, device id and
 * access token (the README says so). The API session token is not stored; it is obtained again
 * from the Matrix token. Logging out removes the entry. Where the browser refuses storage (a
 * third-party iframe with third-party storage blocked) the login lives in memory for the page.
 */
const KEY = 'chattigo.session';

const Stored = Type.Object({
  homeserverUrl: Type.String({ minLength: 1 }),
  userId: Type.String({ minLength: 1 }),
  deviceId: Type.String({ minLength: 1 }),
  accessToken: Type.String({ minLength: 1 }),
});

export type { KeyValueStore };

export function loadCredentials(store: KeyValueStore = webStorage('localStorage')): MatrixCredentials | null {
  const raw = store.getItem(KEY);
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  if (!Check(Stored, value)) {
    store.removeItem(KEY);
    return null;
  }
  return { homeserverUrl: value.homeserverUrl, userId: value.userId, deviceId: value.deviceId, accessToken: value.accessToken };
}

export function saveCredentials(credentials: MatrixCredentials, store: KeyValueStore = webStorage('localStorage')): void {
  store.setItem(KEY, JSON.stringify(credentials));
}

export function clearCredentials(store: KeyValueStore = webStorage('localStorage')): void {
  store.removeItem(KEY);
}
