/** What the client keeps in Web Storage: a few string entries. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function memoryStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/** The browser's own Storage, or undefined where it refuses it (see webStorage). */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    const candidate = window[kind];
    candidate.setItem('chattigo.probe', '1');
    candidate.removeItem('chattigo.probe');
    return candidate;
  } catch {
    return undefined;
  }
}

const stores = new Map<'localStorage' | 'sessionStorage', KeyValueStore>();

/**
 * `localStorage` or `sessionStorage`, or a store in memory where the browser refuses them: in a
 * third-party iframe (the agent desktop embeds the client from another site) a browser that
 * blocks third-party storage throws on the mere access. Then a login lasts as long as the page,
 * and the desktop signs the agent in again with a new login code when it loads the chat again.
 */
export function webStorage(kind: 'localStorage' | 'sessionStorage'): KeyValueStore {
  let store = stores.get(kind);
  if (!store) {
    store = browserStorage(kind) ?? memoryStore();
    stores.set(kind, store);
  }
  return store;
}
