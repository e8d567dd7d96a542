import { openMigratedStore } from '../helpers/embedded-store.ts';
import { journalContract } from '../contracts/journal.contract.ts';

journalContract('the embedded store (PGlite)', async () => {
  const db = await openMigratedStore();
  return { db, dispose: () => db.close() };
});
