import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/database.ts';
import { openEmbedded } from '../../src/db/embedded.ts';
import { queryBuilder } from '../../src/db/kysely.ts';
import { migrate } from '../../src/db/migrate.ts';
import { generateSchema, schemaPath } from '../../src/db/schema-gen.ts';
import { migratedSnapshot, openMigratedStore } from '../helpers/embedded-store.ts';

/**
 * What a database's schema is, as lines of text: every column, constraint, index, function,
 * trigger, view and sequence of the public schema, and every table's rows (those the migrations
 * put there) without their timestamps, which say when the migration ran.
 */
async function catalog(db: Queryable): Promise<string[]> {
  const lines = await db.query<{ line: string }>(
    `SELECT format('column %s.%s #%s %s %s null=%s default=%s identity=%s generated=%s %s', table_name, column_name,
                   ordinal_position, data_type, udt_name, is_nullable, column_default, is_identity, is_generated,
                   generation_expression) AS line
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL
     SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL
     SELECT format('index %s %s', indexname, indexdef) FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT format('function %s', pg_get_functiondef(oid))
       FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')
     UNION ALL
     SELECT format('trigger %s', pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal
     UNION ALL
     SELECT format('view %s %s', viewname, definition) FROM pg_views WHERE schemaname = 'public'
     UNION ALL
     SELECT format('sequence %s %s %s %s %s', sequencename, data_type, start_value, increment_by, last_value)
       FROM pg_sequences WHERE schemaname = 'public'
     UNION ALL
     SELECT format('type %s %s', typname, typtype) FROM pg_type WHERE typnamespace = 'public'::regnamespace`,
  );
  const tables = await db.query<{ table_name: string; columns: string[] }>(
    `SELECT table_name, array_agg(quote_ident(column_name::text) ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type NOT IN ('timestamp with time zone', 'timestamp without time zone', 'date')
      GROUP BY table_name ORDER BY table_name`,
  );
  for (const { table_name, columns } of tables) {
    const rows = await db.query<{ row: string }>(`SELECT row(${columns.join(', ')})::text AS row FROM ${table_name} ORDER BY 1`);
    lines.push(...rows.map(({ row }) => ({ line: `row ${table_name} ${row}` })));
  }
  return lines.map(({ line }) => line).sort();
}

describe('typed SQL (docs/decisions/0016-typed-sql.md)', () => {
  it('the committed table types are what the migrations make (else: ./dev appservice db-schema --write)', async () => {
    expect(await readFile(schemaPath, 'utf8')).toBe(await generateSchema());
  });

  it('a store of the unit tests, loaded from the run\'s snapshot, is what the migrations make', async () => {
    expect(await migratedSnapshot()).toBeInstanceOf(Blob);
    const stores: Database[] = [];
    try {
      const migrated = await openEmbedded('memory://');
      stores.push(migrated);
      await migrate(migrated);
      const loaded = await openMigratedStore();
      stores.push(loaded);
      const expected = await catalog(migrated);
      expect(expected.filter((line) => line.startsWith('function ')).length).toBeGreaterThan(0);
      expect(expected.filter((line) => line.startsWith('row schema_migrations ')).length).toBeGreaterThan(0);
      expect(await catalog(loaded)).toEqual(expected);
      expect(await migrate(loaded)).toEqual([]);
    } finally {
      await Promise.all(stores.map((db) => db.close()));
    }
  });

  it('runs Kysely queries on the store and inside its transactions, and refuses Kysely transactions', async () => {
    const db = await openMigratedStore();
    try {
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
