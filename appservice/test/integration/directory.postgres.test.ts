import { openPostgres } from '../../src/db/postgres.ts';
import { directoryContract } from '../contracts/directory.contract.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

directoryContract('PostgreSQL', async () => {
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
