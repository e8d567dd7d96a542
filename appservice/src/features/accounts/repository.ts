import type { Queryable } from '../../db/database.ts';

export type Role = 'agent' | 'supervisor' | 'admin';

export interface Account {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  active: boolean;
  passwordHash: string | null;
  campaigns: string[];
}

export interface AccountRow {
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  active: boolean;
  password_hash: string | null;
  campaigns: string[] | null;
}

const toAccount = (row: AccountRow): Account => ({
  username: row.username,
  displayName: row.display_name,
  email: row.email,
  role: row.role,
  active: row.active,
  passwordHash: row.password_hash,
  campaigns: row.campaigns ?? [],
});

const selectAccount = `
  SELECT a.username, a.display_name, a.email, a.role, a.active, a.password_hash,
         array_remove(array_agg(m.campaign_id ORDER BY m.campaign_id), NULL) AS campaigns
    FROM accounts a LEFT JOIN memberships m ON m.username = a.username`;

/** Reads of the accounts directory (writes go through the import in this folder). */
export async function findAccount(db: Queryable, username: string): Promise<Account | undefined> {
  const rows = await db.query<AccountRow>(`${selectAccount} WHERE a.username = $1 GROUP BY a.username`, [username]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function findAccountsByEmail(db: Queryable, email: string): Promise<Account[]> {
  const rows = await db.query<AccountRow>(
    `${selectAccount} WHERE lower(a.email) = lower($1) GROUP BY a.username ORDER BY a.username`,
    [email],
  );
  return rows.map(toAccount);
}
