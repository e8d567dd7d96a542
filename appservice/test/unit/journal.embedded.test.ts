import { openEmbedded } from '../../src/db/embedded.ts';
import { journalContract } from '../contracts/journal.contract.ts';

journalContract('the embedded store (PGlite)', async () => {
  const db = await openEmbedded('memory://');
  return { db, dispose: () => db.close() };
});
