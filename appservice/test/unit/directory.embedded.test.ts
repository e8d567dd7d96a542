import { openMigratedStore } from '../helpers/embedded-store.ts';
import { directoryContract } from '../contracts/directory.contract.ts';

directoryContract('the embedded store (PGlite)', async () => {
  const db = await openMigratedStore();
  return { db, dispose: () => db.close() };
});
