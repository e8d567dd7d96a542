import type { Language } from '@chattigo/contracts/language';
import type { Role } from '@chattigo/contracts/roles';
import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder, type QueryBuilder } from '../../db/kysely.ts';
import type { Accounts } from '../../db/schema.ts';

export interface Account {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  active: boolean;
  passwordHash: string | null;
  campaigns: string[];
  /** API session tokens issued before this time are refused (set when credentials change). */
  sessionsValidAfter: Date | null;
  /** The language the server speaks to this account in, from the directory; null = not given. */
  language: Language | null;
}

/** An account as the directory stores it (snake_case, as in the migrations). */
export type AccountRow = Pick<
  Selectable<Accounts>,
  'username' | 'display_name' | 'email' | 'role' | 'active' | 'password_hash' | 'sessions_valid_after' | 'language'
> & { campaigns: string[] };

const toAccount = (row: AccountRow): Account => ({
  username: row.username,
  displayName: row.display_name,
  email: row.email,
  role: row.role,
  active: row.active,
  passwordHash: row.password_hash,
  campaigns: row.campaigns,
  sessionsValidAfter: row.sessions_valid_after,
  language: row.language,
});

/** Accounts with their campaigns, one row per account (add a WHERE). */
const selectAccounts = (qb: QueryBuilder) =>
  qb
    .selectFrom('accounts as a')
    .leftJoin('memberships as m', 'm.username', 'a.username')
    .select(['a.username', 'a.display_name', 'a.email', 'a.role', 'a.active', 'a.password_hash', 'a.sessions_valid_after', 'a.language'])
    .select(sql<string[]>`array_remove(array_agg(m.campaign_id ORDER BY m.campaign_id), NULL)`.as('campaigns'))
    .groupBy('a.username');

export interface SessionState {
  active: boolean;
  /** Epoch ms before which the account's tokens are refused, or null. */
  validAfter: number | null;
}

/** The accounts of the directory, one at a time (the bulk writes are the provisioning import's). */
export interface AccountRepository {
  find(username: string): Promise<Account | undefined>;
  findByEmail(email: string): Promise<Account[]>;
  /**
   * Ends the account's API sessions: tokens issued before `at` are refused from now on. `at` comes
   * from the appservice's clock, the one that stamps the tokens, never from the database's.
   */
  endSessions(username: string, at: Date): Promise<void>;
  /** A new password (Argon2id hash) for the account; its earlier sessions end at `at`. */
  setPassword(username: string, passwordHash: string, at: Date): Promise<void>;
  /** The same password, hashed again with the current parameters (its sessions go on). */
  rehash(username: string, passwordHash: string): Promise<void>;
  /** Where the sessions of these accounts stand (a missing account is absent from the map). */
  sessionStates(usernames: readonly string[]): Promise<Map<string, SessionState>>;
  /**
   * The language to speak to one account in: its own from the directory, else `fallback` (what the
   * server did before accounts had one: the language of the request or of the command).
   */
  recipientLanguage(username: string, fallback: Language): Promise<Language>;
}

export function createAccountRepository(db: Queryable): AccountRepository {
  const qb = queryBuilder(db);
  /** Never moves a session end backwards (two changes in the same second keep the later). */
  const laterEnd = (at: Date) => sql<Date>`GREATEST(sessions_valid_after, ${at})`;
  return {
    async recipientLanguage(username, fallback) {
      const row = await qb.selectFrom('accounts').select('language').where('username', '=', username).executeTakeFirst();
      return row?.language ?? fallback;
    },
    async find(username) {
      const row = await selectAccounts(qb).where('a.username', '=', username).executeTakeFirst();
      return row ? toAccount(row) : undefined;
    },
    async findByEmail(email) {
      const rows = await selectAccounts(qb)
        .where((eb) => eb(eb.fn('lower', ['a.email']), '=', eb.fn('lower', [eb.val(email)])))
        .orderBy('a.username')
        .execute();
      return rows.map(toAccount);
    },
    async endSessions(username, at) {
      await qb.updateTable('accounts').set({ sessions_valid_after: laterEnd(at) }).where('username', '=', username).execute();
    },
    async setPassword(username, passwordHash, at) {
      await qb
        .updateTable('accounts')
        .set({ password_hash: passwordHash, sessions_valid_after: laterEnd(at), updated_at: sql`now()` })
        .where('username', '=', username)
        .execute();
    },
    async rehash(username, passwordHash) {
      await qb.updateTable('accounts').set({ password_hash: passwordHash, updated_at: sql`now()` }).where('username', '=', username).execute();
    },
    async sessionStates(usernames) {
      const rows = await qb
        .selectFrom('accounts')
        .select(['username', 'active', 'sessions_valid_after'])
        .where((eb) => eb('username', '=', eb.fn.any(eb.val(usernames))))
        .execute();
      return new Map(rows.map((r) => [r.username, { active: r.active, validAfter: r.sessions_valid_after?.getTime() ?? null }]));
    },
  };
}
