import type { Queryable } from './database.ts';
import { openEmbedded } from './embedded.ts';
import { migrate } from './migrate.ts';

/**
 * Writes db/schema.ts, the table types of Kysely's `DB`, from what the migrations make
 * (docs/decisions/0016-typed-sql.md): the migrations run on an in-memory embedded store, then
 * PostgreSQL's catalog says each column's type, nullability and default, and a CHECK of the form
 * `column IN ('a', 'b')` narrows a text column to those strings.
 */
export const schemaPath = new URL('./schema.ts', import.meta.url);

interface ColumnRow {
  table_name: string;
  column_name: string;
  type_name: string;
  not_null: boolean;
  has_default: boolean;
  /** pg_attribute.attidentity: 'a' always, 'd' by default, '' none. */
  identity: string;
  /** pg_attribute.attgenerated: 's' stored, '' none. */
  generated: string;
}

/** PostgreSQL type name → TypeScript, as both stores (pg and PGlite) return them. */
const typeNames: Record<string, string> = {
  text: 'string',
  varchar: 'string',
  bool: 'boolean',
  int2: 'number',
  int4: 'number',
  float4: 'number',
  float8: 'number',
  int8: 'Int8',
  numeric: 'string',
  timestamptz: 'Timestamp',
  date: 'DateOnly',
  jsonb: 'Json',
  json: 'Json',
  _text: 'string[]',
  _int4: 'number[]',
};

const header = (used: string[]) => `// Generated from db/migrations by \`./dev appservice db-schema --write\`: do not edit.
// A unit test (db-schema.test.ts) fails when it differs from what the migrations make.
import type { ${used.join(', ')} } from './column-types.ts';
`;

const checkedValues = /^CHECK \(\((\w+) = ANY \(ARRAY\[((?:'[^']*'::text(?:, )?)+)\]\)\)\)$/;

/** The text of db/schema.ts for the tables of a migrated database. */
export async function renderSchema(db: Queryable): Promise<string> {
  const columns = await db.query<ColumnRow>(
    `SELECT c.relname AS table_name, a.attname AS column_name, t.typname AS type_name, a.attnotnull AS not_null,
            a.atthasdef AS has_default, a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const checks = await db.query<{ table_name: string; definition: string }>(
    `SELECT c.relname AS table_name, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND k.contype = 'c'`,
  );
  const unions = new Map<string, string>();
  for (const check of checks) {
    const match = checkedValues.exec(check.definition);
    if (!match?.[1] || !match[2]) continue;
    const values = match[2].split(', ').map((v) => v.replace(/::text$/, ''));
    unions.set(`${check.table_name}.${match[1]}`, values.join(' | '));
  }

  const tables = new Map<string, string[]>();
  for (const column of columns) {
    const base = unions.get(`${column.table_name}.${column.column_name}`) ?? typeNames[column.type_name];
    if (!base) throw new Error(`${column.table_name}.${column.column_name}: no TypeScript type for ${column.type_name} (add it to db/schema-gen.ts)`);
    let type = column.not_null ? base : `${base} | null`;
    if (column.generated === 's' || column.identity === 'a') type = `GeneratedAlways<${type}>`;
    else if (column.has_default || column.identity === 'd') type = `Generated<${type}>`;
    const lines = tables.get(column.table_name) ?? [];
    lines.push(`  ${column.column_name}: ${type};`);
    tables.set(column.table_name, lines);
  }

  const interfaceName = (table: string) => table.replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase());
  const parts: string[] = [];
  for (const [table, lines] of tables) parts.push(`export interface ${interfaceName(table)} {\n${lines.join('\n')}\n}\n`);
  const entries = [...tables.keys()].map((table) => `  ${table}: ${interfaceName(table)};`);
  parts.push(`export interface DB {\n${entries.join('\n')}\n}\n`);
  const body = parts.join('\n');
  const used = ['DateOnly', 'Generated', 'GeneratedAlways', 'Int8', 'Json', 'Timestamp'].filter((name) => new RegExp(`\\b${name}\\b`).test(body));
  return `${header(used)}\n${body}`;
}

/** Runs the migrations on a new in-memory embedded store and renders its schema. */
export async function generateSchema(): Promise<string> {
  const db = await openEmbedded('memory://');
  try {
    await migrate(db);
    return await renderSchema(db);
  } finally {
    await db.close();
  }
}
