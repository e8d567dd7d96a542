/**
 * The client's routes, as a pure mapping between URLs and typed route values. The paths are
 * Spanish because they show in the address bar and in mailed links
 * (`/restablecer-contrasena?token=…` is built by the appservice's password feature).
 */
export type Route =
  | { name: 'login'; next: string | null }
  | { name: 'forgot' }
  | { name: 'reset'; token: string | null }
  | { name: 'home' }
  | { name: 'chat'; roomId: string }
  | { name: 'picker' }
  | { name: 'not-found' };

export const paths = {
  login: '/ingresar',
  forgot: '/olvido-contrasena',
  reset: '/restablecer-contrasena',
  home: '/chats',
  picker: '/agentes',
  chat: (roomId: string) => `/chats/${encodeURIComponent(roomId)}`,
  loginThen: (next: string) => `/ingresar?siguiente=${encodeURIComponent(next)}`,
} as const;

/** Routes that need a signed-in agent. */
export function needsSession(route: Route): boolean {
  return route.name === 'home' || route.name === 'chat' || route.name === 'picker';
}

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  switch (path) {
    case '/':
    case paths.home:
      return { name: 'home' };
    case paths.login:
      return { name: 'login', next: safeNext(params.get('siguiente')) };
    case paths.forgot:
      return { name: 'forgot' };
    case paths.reset:
      return { name: 'reset', token: params.get('token') || null };
    case paths.picker:
      return { name: 'picker' };
  }
  const chat = /^\/chats\/([^/]+)$/.exec(path);
  if (chat?.[1]) {
    try {
      const roomId = decodeURIComponent(chat[1]);
      if (roomId.startsWith('!')) return { name: 'chat', roomId };
    } catch {
      // a malformed escape: not a chat URL
    }
  }
  return { name: 'not-found' };
}

/** Only a path of this site may follow a login (no `//evil.example` or `https://…`). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
