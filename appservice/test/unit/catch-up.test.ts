import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { CatchUp } from '../../src/matrix/catch-up.ts';
import type { MatrixGateway } from '../../src/matrix/gateway.ts';
import { createJournalRepository } from '../../src/matrix/journal-repository.ts';
import { RoomEventProcessor } from '../../src/matrix/processor.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { roomEvent } from '../helpers/embedded-app.ts';

/** A gateway whose bot is in the rooms of `timelines` and reads them newest first, as /messages does. */
function fakeGateway(timelines: Record<string, object[]>): MatrixGateway {
  return {
    intent: () => ({
      getJoinedRooms: async () => ({ joined_rooms: Object.keys(timelines) }),
      http: {
        authedRequest: async (_method: string, path: string) => {
          const roomId = decodeURIComponent(/^\/rooms\/([^/]+)\/messages$/.exec(path)?.[1] ?? '');
          return { chunk: [...(timelines[roomId] ?? [])].reverse() };
        },
      },
    }),
  } as unknown as MatrixGateway;
}

describe('catch-up after Synapse lost events', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openMigratedStore();
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores and processes the recent events Synapse never delivered, once, and nothing older', async () => {
    const journal = createJournalRepository(db);
    const seen: string[] = [];
    const processor = new RoomEventProcessor({
      journal,
      handlers: [{ name: 'recorder', handle: async (e) => void seen.push(e.event_id) }],
      log: createLogger('silent'),
      metrics: createMetrics(),
    });
    const withoutRoom = (n: number) => {
      const { room_id: _room, ...event } = roomEvent(n, '!a:chattigo.test');
      return event;
    };
    const old = withoutRoom(1); // before `since`: left alone
    const delivered = withoutRoom(2);
    const lost = withoutRoom(3);
    await journal.record('7', [roomEvent(2, '!a:chattigo.test')]);
    processor.schedule(['!a:chattigo.test']);
    await processor.idle();
    seen.length = 0;
    const since = old.origin_server_ts + 1;
    const catchUp = new CatchUp({ gateway: fakeGateway({ '!a:chattigo.test': [old, delivered, lost], '!b:chattigo.test': [] }), journal, processor, log: createLogger('silent') });

    expect(await catchUp.run(since)).toBe(1);
    await processor.idle();
    expect(seen).toEqual(['$event3']);
    expect(await catchUp.run(since)).toBe(0);
  });
});
