import type { App } from '../../src/app.ts';
import type { Queryable } from '../../src/db/database.ts';
import type { Role } from '@chattigo/contracts/roles';
import { API_AUDIENCE, newSessionClaims, SESSION_TTL_SECONDS } from '../../src/features/session/auth.ts';

export interface SeedAccount {
  username: string;
  displayName: string;
  role?: Role;
  active?: boolean;
  campaigns?: string[];
}

/** Inserts accounts (and their memberships) the way the directory import will. */
export async function seedAccounts(db: Queryable, accounts: readonly SeedAccount[]): Promise<void> {
  for (const a of accounts) {
    await db.query('INSERT INTO accounts (username, display_name, role, active) VALUES ($1, $2, $3, $4)', [
      a.username,
      a.displayName,
      a.role ?? 'agent',
      a.active ?? true,
    ]);
    for (const campaign of a.campaigns ?? []) {
      await db.query('INSERT INTO memberships (username, campaign_id) VALUES ($1, $2)', [a.username, campaign]);
    }
  }
}

export async function seedCampaigns(db: Queryable, campaigns: readonly { id: string; name: string; spaceRoomId?: string }[]): Promise<void> {
  for (const c of campaigns) {
    await db.query('INSERT INTO campaigns (id, name, space_room_id) VALUES ($1, $2, $3)', [c.id, c.name, c.spaceRoomId ?? null]);
  }
}

/** A session token for `username`, signed as POST /api/v1/session signs them. */
export function sessionToken(app: App, username: string, role: Role = 'agent', ttlSeconds = SESSION_TTL_SECONDS): string {
  const now = Date.now();
  const claims = newSessionClaims({ username, role }, app.gateway.userIdFor(username), now);
  return app.server.jwt.sign(claims, { expiresIn: ttlSeconds, aud: API_AUDIENCE, clockTimestamp: now });
}

/** A platform workload report. */
export function report(username: string, chatsInAttention: number, at: string, status: 'online' | 'away' | 'offline' = 'online') {
  return { username, status, chatsInAttention, at };
}
