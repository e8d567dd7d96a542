import { Method } from 'matrix-js-sdk';
import type { Logger } from '../observability/logger.ts';
import type { MatrixGateway } from './gateway.ts';
import type { JournalRepository } from './journal-repository.ts';
import type { RoomEventProcessor } from './processor.ts';

/** Events accepted this long before Synapse was last seen up are looked for too. */
export const CATCH_UP_MARGIN_MS = 60_000;
const PAGE = 100;
const PARALLEL = 4;

interface MessagesPage {
  chunk?: Record<string, unknown>[];
}

/**
 * The journal's backstop for what Synapse itself loses: Synapse queues appservice events in memory
 * before it writes the transaction, so a Synapse killed in between never sends them. After Synapse
 * comes back, the newest events of every room the bot is in (back to `since`) are read with
 * `/messages` and handed to the journal, which stores only the ones it has not seen (by event id);
 * the processor handles them like any other. (The appservice's bot cannot `/sync`: Synapse refuses
 * it for appservice users.) Rooms the bot is not in, and invites, are not covered.
 */
export class CatchUp {
  private running: Promise<number> | undefined;
  private readonly d: { gateway: MatrixGateway; journal: JournalRepository; processor: RoomEventProcessor; log: Logger };

  constructor(deps: { gateway: MatrixGateway; journal: JournalRepository; processor: RoomEventProcessor; log: Logger }) {
    this.d = deps;
  }

  /** Looks for events since `since` (ms); a second call while one runs joins it. Resolves to the events stored. */
  run(since: number): Promise<number> {
    this.running ??= this.once(since).finally(() => (this.running = undefined));
    return this.running;
  }

  private async once(since: number): Promise<number> {
    const { gateway, journal, processor, log } = this.d;
    const bot = gateway.intent();
    const { joined_rooms: rooms } = await bot.getJoinedRooms();
    let stored = 0;
    const queue = [...rooms];
    const worker = async () => {
      for (let roomId = queue.shift(); roomId; roomId = queue.shift()) {
        const page = await bot.http.authedRequest<MessagesPage>(Method.Get, `/rooms/${encodeURIComponent(roomId)}/messages`, {
          dir: 'b',
          limit: String(PAGE),
        });
        const recent = (page.chunk ?? []).filter((e) => typeof e['origin_server_ts'] === 'number' && e['origin_server_ts'] >= since);
        if (recent.length === 0) continue;
        // Oldest first, as Synapse would have sent them.
        const events = recent.reverse().map((e) => ({ ...e, room_id: roomId }));
        const outcome = await journal.record('catch-up', events);
        if (outcome.stored > 0) {
          stored += outcome.stored;
          processor.schedule([roomId]);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, rooms.length) }, worker));
    if (stored > 0) log.warn({ stored, rooms: rooms.length }, 'catch-up: events Synapse had not delivered were found and stored');
    else log.info({ rooms: rooms.length }, 'catch-up: Synapse had delivered everything');
    return stored;
  }
}

/**
 * Watches whether Synapse answers (every `intervalMs`) and, when it comes back after it did not,
 * runs the catch-up from a little before it was last seen up. `nudge()` runs it now — Synapse's
 * transaction ids went back, so it restarted (perhaps faster than the watch could see).
 */
export function watchHomeserver(options: { catchUp: CatchUp; reachable: () => Promise<boolean>; log: Logger; intervalMs?: number }): {
  start(): void;
  nudge(): void;
  stop(): void;
} {
  let lastUp = Date.now();
  let wasDown = false;
  const attempt = () =>
    void options.catchUp.run(lastUp - CATCH_UP_MARGIN_MS).then(
      () => undefined,
      (err: unknown) => {
        wasDown = true; // try again at the next check
        options.log.warn({ err }, 'catch-up did not run; trying again');
      },
    );
  let timer: NodeJS.Timeout | undefined;
  const check = () =>
    void options.reachable().then((up) => {
      if (!up) {
        wasDown = true;
        return;
      }
      if (wasDown) {
        wasDown = false;
        attempt();
      }
      lastUp = Date.now();
    });
  return {
    start() {
      lastUp = Date.now();
      timer ??= setInterval(check, options.intervalMs ?? 5000);
      timer.unref();
    },
    nudge: attempt,
    stop: () => clearInterval(timer),
  };
}
