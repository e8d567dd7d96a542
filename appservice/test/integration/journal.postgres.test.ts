import { openPostgres } from '../../src/db/postgres.ts';
import { journalContract } from '../contracts/journal.contract.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

journalContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const db = openPostgres(database.url);
  return {
    db,
    async dispose() {
      await db.close();
      await database.drop();
    },
  };
});
