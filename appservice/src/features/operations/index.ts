import type { JournalRepository } from '../../matrix/journal-repository.ts';
import type { Feature } from '../feature.ts';
import { operationsCommands } from './commands.ts';

/** `!estado` / `!status` for admins. */
export function createOperations(deps: { journal: JournalRepository }): Feature {
  return { name: 'operations', commands: operationsCommands(deps.journal) };
}
