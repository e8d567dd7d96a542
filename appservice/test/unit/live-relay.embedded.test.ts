import { openEmbedded } from '../../src/db/embedded.ts';
import { liveRelayContract } from '../contracts/live-relay.contract.ts';

liveRelayContract('the embedded store (PGlite)', async () => {
  const db = await openEmbedded('memory://');
  return { a: db, b: db, dispose: () => db.close() };
});
