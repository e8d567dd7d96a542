import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openEmbedded } from '../../src/db/embedded.ts';
import { queryBuilder } from '../../src/db/kysely.ts';
import { generateSchema, schemaPath } from '../../src/db/schema-gen.ts';

describe('typed SQL (docs/decisions/0016-typed-sql.md)', () => {
  it('the committed table types are what the migrations make (else: ./dev appservice db-schema --write)', async () => {
    expect(await readFile(schemaPath, 'utf8')).toBe(await generateSchema());
  });

  it('runs Kysely queries on the store and inside its transactions, and refuses Kysely transactions', async () => {
    const db = await openEmbedded('memory://');
    try {
      await db.query('CREATE TABLE service_credentials (name text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())');
      await db
        .transaction(async (tx) => {
          await queryBuilder(tx).insertInto('service_credentials').values({ name: 'a', value: '1' }).execute();
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await queryBuilder(db).insertInto('service_credentials').values({ name: 'b', value: '2' }).execute();
      const rows = await queryBuilder(db).selectFrom('service_credentials').select(['name', 'value', 'updated_at']).execute();
      expect(rows).toEqual([{ name: 'b', value: '2', updated_at: expect.any(Date) }]);
      expect(queryBuilder(db)).toBe(queryBuilder(db));
      await expect(queryBuilder(db).transaction().execute(async () => undefined)).rejects.toThrow(/Database\.transaction/);
    } finally {
      await db.close();
    }
  });
});
