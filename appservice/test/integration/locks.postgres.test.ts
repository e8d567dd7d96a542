import { openPostgres } from '../../src/db/postgres.ts';
import { locksContract } from '../contracts/locks.contract.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

// Two pools on one database: two processes. Small pools, so that a lock starving the queries would show.
locksContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const a = openPostgres(database.url, 2);
  const b = openPostgres(database.url, 2);
  return {
    a,
    b,
    async dispose() {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    },
  };
});
