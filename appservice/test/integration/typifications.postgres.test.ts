import { typificationsContract } from '../contracts/typifications.contract.ts';
import { openTestPostgres } from '../helpers/postgres.ts';

typificationsContract('PostgreSQL', openTestPostgres);
