import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { parseRoute, type Route } from './routes.ts';

/** A minimal History-API router: the routes are few and fixed, so no routing library is needed. */
interface RouterValue {
  route: Route;
  /** Path and query of the current location (to come back to it after logging in). */
  current: string;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterValue | null>(null);
const CHANGE = 'chattigo:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function Router({ children }: { children: ReactNode }) {
  const current = useSyncExternalStore(subscribe, snapshot);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (to === snapshot()) return;
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    window.dispatchEvent(new Event(CHANGE));
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo<RouterValue>(() => {
    const url = new URL(current, window.location.origin);
    return { route: parseRoute(url.pathname, url.search), current, navigate };
  }, [current, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter must be used inside <Router>');
  return router;
}

/** An `<a>` that navigates inside the app (a modified click still opens a new tab). */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { navigate } = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
