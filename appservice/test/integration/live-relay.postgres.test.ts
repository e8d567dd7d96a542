import { liveRelayContract } from '../contracts/live-relay.contract.ts';
import { openTwoPostgresHandles } from '../helpers/postgres.ts';

// Two stores on one database: two appservice processes.
liveRelayContract('PostgreSQL', openTwoPostgresHandles);
