import { openPostgres } from '../../src/db/postgres.ts';
import { liveRelayContract } from '../contracts/live-relay.contract.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

// Two stores on one database: two appservice processes.
liveRelayContract('PostgreSQL', async () => {
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
