import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { countRows, queryBuilder } from '../../db/kysely.ts';
import type { PasswordTokens } from '../../db/schema.ts';

export type TokenPurpose = PasswordTokens['purpose'];

/** Single-use password links; only a SHA-256 of each token is stored (`tokenHash`). */
export interface PasswordTokenRepository {
  /** How many reset links the account was sent in the last hour. */
  recentResetCount(username: string): Promise<number>;
  insert(tokenHash: string, username: string, purpose: TokenPurpose, ttlSeconds: number): Promise<void>;
  /** The account a token is for, if the token is unused, unexpired and its account active. Changes nothing. */
  findUsable(tokenHash: string): Promise<string | undefined>;
  /**
   * Uses a token up, if it is still usable, along with every other open link of its account.
   * Returns the account, or undefined when the token was not usable (or another request used it first).
   * Run it in a transaction.
   */
  consume(tokenHash: string): Promise<string | undefined>;
}

export function createPasswordTokenRepository(db: Queryable): PasswordTokenRepository {
  const qb = queryBuilder(db);
  return {
    async recentResetCount(username) {
      const row = await qb
        .selectFrom('password_tokens')
        .select(countRows().as('n'))
        .where('username', '=', username)
        .where('purpose', '=', 'reset')
        .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
        .executeTakeFirst();
      return row?.n ?? 0;
    },
    async insert(tokenHash, username, purpose, ttlSeconds) {
      await qb
        .insertInto('password_tokens')
        .values({ token_hash: tokenHash, username, purpose, expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})` })
        .execute();
    },
    async findUsable(tokenHash) {
      const row = await qb
        .selectFrom('password_tokens as t')
        .innerJoin('accounts as a', 'a.username', 't.username')
        .select('t.username')
        .where('t.token_hash', '=', tokenHash)
        .where('t.used_at', 'is', null)
        .where('t.expires_at', '>', sql<Date>`now()`)
        .where('a.active', '=', true)
        .executeTakeFirst();
      return row?.username;
    },
    async consume(tokenHash) {
      const row = await qb
        .updateTable('password_tokens as t')
        .set({ used_at: sql`now()` })
        .from('accounts as a')
        .whereRef('a.username', '=', 't.username')
        .where('t.token_hash', '=', tokenHash)
        .where('t.used_at', 'is', null)
        .where('t.expires_at', '>', sql<Date>`now()`)
        .where('a.active', '=', true)
        .returning('t.username')
        .executeTakeFirst();
      if (!row) return undefined;
      await qb.updateTable('password_tokens').set({ used_at: sql`now()` }).where('username', '=', row.username).where('used_at', 'is', null).execute();
      return row.username;
    },
  };
}
