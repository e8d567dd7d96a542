import type { Queryable } from '../../db/database.ts';
import { queryBuilder } from '../../db/kysely.ts';
import type { LoginCodeUses } from '../../db/schema.ts';

/** One-time login codes (migration 110); only a SHA-256 of each code is stored. */

export type CodeOutcome = LoginCodeUses['outcome'];

export interface LoginCodeRow {
  username: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface CodeUse {
  username: string | null;
  issuedAt: Date | null;
  usedAt: Date;
  outcome: CodeOutcome;
  clientAddress: string | null;
}

export interface SsoRepository {
  insertCode(codeHash: string, username: string, issuedAt: Date, expiresAt: Date): Promise<void>;
  /**
   * Uses a code up: marks it used if it was not, and says what it was. Two requests with the same
   * code cannot both see `firstUse` (one UPDATE decides).
   */
  useCode(codeHash: string, at: Date): Promise<{ code: LoginCodeRow; firstUse: boolean } | undefined>;
  /** Audits one exchange of a code, accepted or not. */
  recordUse(use: CodeUse): Promise<void>;
  /** Codes past their expiry are of no use; the audit of their use stays in login_code_uses. */
  deleteExpiredCodes(before: Date): Promise<void>;
}

const toRow = (row: { username: string; issued_at: Date; expires_at: Date }): LoginCodeRow => ({
  username: row.username,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
});

export function createSsoRepository(db: Queryable): SsoRepository {
  const qb = queryBuilder(db);
  return {
    async insertCode(codeHash, username, issuedAt, expiresAt) {
      await qb.insertInto('login_codes').values({ code_hash: codeHash, username, issued_at: issuedAt, expires_at: expiresAt }).execute();
    },
    async useCode(codeHash, at) {
      const used = await qb
        .updateTable('login_codes')
        .set({ used_at: at })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .returning(['username', 'issued_at', 'expires_at'])
        .executeTakeFirst();
      if (used) return { code: toRow(used), firstUse: true };
      const known = await qb
        .selectFrom('login_codes')
        .select(['username', 'issued_at', 'expires_at'])
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return known ? { code: toRow(known), firstUse: false } : undefined;
    },
    async recordUse(use) {
      await qb
        .insertInto('login_code_uses')
        .values({ username: use.username, issued_at: use.issuedAt, used_at: use.usedAt, outcome: use.outcome, client_address: use.clientAddress })
        .execute();
    },
    async deleteExpiredCodes(before) {
      await qb.deleteFrom('login_codes').where('expires_at', '<', before).execute();
    },
  };
}
