import { openEmbedded } from '../../src/db/embedded.ts';
import { locksContract } from '../contracts/locks.contract.ts';

locksContract('the embedded store (PGlite)', async () => {
  const db = await openEmbedded('memory://');
  return { a: db, b: db, dispose: () => db.close() };
});
