/**
 * The client's URLs. The paths are Spanish because they show in the address bar and in mailed
 * links (`/restablecer-contrasena?token=…` is built by the appservice's password feature). The
 * routes that serve them are in `router.tsx`.
 */
export const paths = {
  login: '/ingresar',
  forgot: '/olvido-contrasena',
  reset: '/restablecer-contrasena',
  home: '/chats',
  picker: '/agentes',
  chat: (roomId: string) => `/chats/${encodeURIComponent(roomId)}`,
  /** A chat opened at one of its messages (a search result): `?evento=` names the event. */
  chatAt: (roomId: string, eventId: string) => `/chats/${encodeURIComponent(roomId)}?evento=${encodeURIComponent(eventId)}`,
  /** Supervisors and admins: reports and audited review (`?desde=&hasta=&campana=&por=`, also linked by the bot's !reporte). */
  supervision: '/supervision',
  review: (roomId: string) => `/supervision/chats/${encodeURIComponent(roomId)}`,
  loginThen: (next: string) => `/ingresar?siguiente=${encodeURIComponent(next)}`,
} as const;

/** Only a path of this site may follow a login (no `//evil.example` or `https://…`). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}

/** A room id as it appears in a chat path (`/chats/!abc:server`), or null when it is not one. */
export function roomIdParam(param: string | undefined): string | null {
  return param?.startsWith('!') ? param : null;
}
