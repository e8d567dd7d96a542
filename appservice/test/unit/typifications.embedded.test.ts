import { openEmbedded } from '../../src/db/embedded.ts';
import { typificationsContract } from '../contracts/typifications.contract.ts';

typificationsContract('the embedded store (PGlite)', async () => {
  const db = await openEmbedded('memory://');
  return { db, dispose: () => db.close() };
});
