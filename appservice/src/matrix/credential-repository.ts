import { sql } from 'kysely';
import type { Queryable } from '../db/database.ts';
import { queryBuilder } from '../db/kysely.ts';

/** Credentials the appservice obtains for itself and keeps between runs (table service_credentials). */
export interface CredentialRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  remove(name: string): Promise<void>;
}

export function createCredentialRepository(db: Queryable): CredentialRepository {
  const qb = queryBuilder(db);
  return {
    async get(name) {
      const row = await qb.selectFrom('service_credentials').select('value').where('name', '=', name).executeTakeFirst();
      return row?.value;
    },
    async set(name, value) {
      await qb
        .insertInto('service_credentials')
        .values({ name, value })
        .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: sql`now()` })))
        .execute();
    },
    async remove(name) {
      await qb.deleteFrom('service_credentials').where('name', '=', name).execute();
    },
  };
}
