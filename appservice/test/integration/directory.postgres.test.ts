import { directoryContract } from '../contracts/directory.contract.ts';
import { openTestPostgres } from '../helpers/postgres.ts';

directoryContract('PostgreSQL', openTestPostgres);
