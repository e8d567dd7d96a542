import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

describe('migrations on PostgreSQL', () => {
  let database: TestDatabase;
  let db: Database;

  beforeEach(async () => {
    database = await createTestDatabase();
    db = openPostgres(database.url);
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  it('applies every migration once, even when two processes start together', async () => {
    const other = openPostgres(database.url);
    try {
      const [a, b] = await Promise.all([migrate(db), migrate(other)]);
      const all = (await readMigrations()).map((m) => m.name);
      expect([...a, ...b].sort()).toEqual(all.sort());
      expect(await migrate(db)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('rolls back a failing migration, keeps the ones before it and names the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-mig-'));
    await writeFile(path.join(dir, '001_good.sql'), 'CREATE TABLE good (id int);');
    await writeFile(path.join(dir, '002_bad.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(migrate(db, undefined, dir)).rejects.toThrow(/migration 002_bad\.sql failed/);
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(['good', 'schema_migrations']);
  });

  it('refuses two migrations with one number, and a badly named file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-mig-'));
    await writeFile(path.join(dir, '001_a.sql'), 'SELECT 1;');
    await writeFile(path.join(dir, '001_b.sql'), 'SELECT 1;');
    await expect(migrate(db, undefined, dir)).rejects.toThrow(/001_a\.sql and 001_b\.sql have the same number/);
    const other = await mkdtemp(path.join(os.tmpdir(), 'chattigo-mig-'));
    await writeFile(path.join(other, '1_a.sql'), 'SELECT 1;');
    await expect(migrate(db, undefined, other)).rejects.toThrow(/is not named NNN_name\.sql/);
  });
});
