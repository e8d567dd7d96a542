import { journalContract } from '../contracts/journal.contract.ts';
import { openTestPostgres } from '../helpers/postgres.ts';

journalContract('PostgreSQL', openTestPostgres);
