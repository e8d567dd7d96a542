import { locksContract } from '../contracts/locks.contract.ts';
import { openTwoPostgresHandles } from '../helpers/postgres.ts';

// Two pools on one database: two processes. Small pools, so that a lock starving the queries would show.
locksContract('PostgreSQL', openTwoPostgresHandles);
