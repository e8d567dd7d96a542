import { openMigratedStore } from '../helpers/embedded-store.ts';
import { typificationsContract } from '../contracts/typifications.contract.ts';

typificationsContract('the embedded store (PGlite)', async () => {
  const db = await openMigratedStore();
  return { db, dispose: () => db.close() };
});
