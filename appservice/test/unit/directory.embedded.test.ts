import { openEmbedded } from '../../src/db/embedded.ts';
import { directoryContract } from '../contracts/directory.contract.ts';

directoryContract('the embedded store (PGlite)', async () => {
  const db = await openEmbedded('memory://');
  return { db, dispose: () => db.close() };
});
