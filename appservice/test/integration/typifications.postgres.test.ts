import { openPostgres } from '../../src/db/postgres.ts';
import { typificationsContract } from '../contracts/typifications.contract.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

typificationsContract('PostgreSQL', async () => {
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
