import type { Config } from '../config/schema.ts';
import type { Database } from './database.ts';
import { openEmbedded } from './embedded.ts';
import { openPostgres } from './postgres.ts';

/** PostgreSQL when `database.url` is set, else the embedded store. */
export function openDatabase(config: Config['database']): Promise<Database> {
  return config.url ? Promise.resolve(openPostgres(config.url, config.poolSize)) : openEmbedded(config.embeddedDir);
}
