import { openMigratedStore } from '../helpers/embedded-store.ts';
import { liveRelayContract } from '../contracts/live-relay.contract.ts';

liveRelayContract('the embedded store (PGlite)', async () => {
  const db = await openMigratedStore();
  return { a: db, b: db, dispose: () => db.close() };
});
