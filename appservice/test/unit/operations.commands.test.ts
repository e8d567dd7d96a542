import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/commands/command.ts';
import { CommandRegistry } from '../../src/commands/registry.ts';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { operationsCommands } from '../../src/features/operations/commands.ts';
import { createJournalRepository } from '../../src/matrix/journal-repository.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { roomEvent } from '../helpers/embedded-app.ts';

const admin: Caller = { userId: '@chattigo_ana:x', username: 'ana', role: 'admin' };
const agent: Caller = { userId: '@chattigo_beto:x', username: 'beto', role: 'agent' };

describe('the status command', () => {
  let db: Database;
  let registry: CommandRegistry;
  const run = (input: string, caller = admin) => registry.execute(input, { caller, scope: 'direct', roomId: '!dm:x', eventId: '$c' });

  beforeAll(async () => {
    db = await openMigratedStore();
    registry = new CommandRegistry({ commands: operationsCommands(createJournalRepository(db)), log: createLogger('silent') });
  });
  afterAll(async () => {
    await db.close();
  });

  it('tells an admin that processing is up to date', async () => {
    expect((await run('!estado')).reply).toBe('Procesamiento al día: ningún evento en espera.\nEventos apartados en las últimas 24 h: 0.');
  });

  it('shows the waiting events and the dead letters with their reasons', async () => {
    await createJournalRepository(db).record('t1', [roomEvent(1, '!a'), { event_id: '$bad', room_id: '!b' }]);
    const reply = (await run('!status')).reply;
    expect(reply).toMatch(/^1 events waiting in 1 rooms; the oldest for \d+ s\.\nEvents set aside in the last 24 h: 1\./);
    expect(reply).toContain('$bad (!b): not a usable room event');
  });

  it('is for admins only', async () => {
    expect((await run('!estado', agent)).status).toBe('forbidden');
  });
});
