import { openMigratedStore } from '../helpers/embedded-store.ts';
import { locksContract } from '../contracts/locks.contract.ts';

locksContract('the embedded store (PGlite)', async () => {
  const db = await openMigratedStore();
  return { a: db, b: db, dispose: () => db.close() };
});
