/**
 * Embed mode: the client inside an iframe of the Chattigo agent desktop (`?embed=1` on any URL,
 * kept for the browser session in sessionStorage; `?embed=0` ends it). Compact layout, no toolbar
 * of its own, the picker opened by the host (features/embed/EmbedBridge.tsx).
 */
import { webStorage, type KeyValueStore } from '../../util/web-storage.ts';

const KEY = 'chattigo.embed';

/** Reads `?embed=` of the first URL and remembers it; call once at start-up. */
export function rememberEmbedMode(search: string, store: KeyValueStore = webStorage('sessionStorage')): boolean {
  const wanted = new URLSearchParams(search).get('embed');
  if (wanted === '1') store.setItem(KEY, '1');
  else if (wanted === '0') store.removeItem(KEY);
  return store.getItem(KEY) === '1';
}

let embedded = false;

export function startEmbedMode(): void {
  embedded = rememberEmbedMode(window.location.search);
  if (embedded) document.documentElement.dataset['embed'] = '1';
}

export function isEmbedded(): boolean {
  return embedded;
}
