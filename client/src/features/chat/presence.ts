/**
 * What the chat header says about the other agent's presence (matrix-js-sdk's `User`): active now,
 * last active N minutes ago (up to an hour), or inactive. Pure, tested without a homeserver.
 */
export interface PresenceLike {
  presence: string;
  currentlyActive: boolean;
  /** Milliseconds since the user was last active, as the server said at `lastPresenceTs`. */
  lastActiveAgo: number;
  lastPresenceTs: number;
}

export type PresenceLabel = { kind: 'active' } | { kind: 'ago'; minutes: number } | { kind: 'inactive' } | { kind: 'unknown' };

const RECENT_MS = 60 * 60 * 1000;

export function presenceLabel(user: PresenceLike | null, now: number): PresenceLabel {
  if (!user) return { kind: 'unknown' };
  if (user.presence === 'online' && user.currentlyActive) return { kind: 'active' };
  if (user.presence === 'offline' || !user.lastPresenceTs) return { kind: 'inactive' };
  const ago = Math.max(0, now - user.lastPresenceTs + user.lastActiveAgo);
  if (ago < 60_000) return { kind: 'active' };
  return ago < RECENT_MS ? { kind: 'ago', minutes: Math.floor(ago / 60_000) } : { kind: 'inactive' };
}
