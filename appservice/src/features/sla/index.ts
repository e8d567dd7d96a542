import { Preset } from 'matrix-js-sdk';
import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { LanguageOf, NoticeService } from '../../matrix/notices.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ChatRepository } from '../chats/index.ts';
import type { Feature } from '../feature.ts';
import { slaCommands } from './commands.ts';
import { createSlaRepository } from './repository.ts';
import { slaRoutes } from './routes.ts';
import { SlaService } from './service.ts';

export type { SlaService } from './service.ts';

/** How often the leader looks for due reminders and escalations. */
export const SLA_SCAN_INTERVAL_MS = 15_000;

export interface SlaDeps {
  db: Database;
  gateway: MatrixGateway;
  notices: NoticeService;
  languageOf: LanguageOf;
  /** The web client's public URL (escalations link to the chat's review page). */
  publicUrl: string;
  chats: ChatRepository;
  log: Logger;
  /** sla.defaultMinutes of the configuration. */
  defaultMinutes: number;
  /** The clock (tests). */
  now?: () => number;
}

export interface SlaFeature extends Feature {
  service: SlaService;
}

/**
 * The answer-time SLA (issue 16): follows the questions of managed chats (room handler), reminds
 * and escalates what is due (`service.scan()`, run by the leader every SLA_SCAN_INTERVAL_MS),
 * `GET /api/v1/supervision/sla` and `!sla`.
 */
export function createSla(deps: SlaDeps): SlaFeature {
  const repo = createSlaRepository(deps.db);
  const service = new SlaService({
    ...deps,
    repo,
    log: deps.log.child({ module: 'sla' }),
    async createDirectRoom(userId) {
      const { room_id: roomId } = await deps.gateway.intent().createRoom({ preset: Preset.TrustedPrivateChat, is_direct: true, invite: [userId] });
      return roomId;
    },
  });
  return {
    name: 'sla',
    service,
    roomHandlers: [service.handler()],
    // Reminders and escalations that fell due (persisted; each sent once).
    tasks: [{ name: 'sla.scan', everyMs: SLA_SCAN_INTERVAL_MS, run: () => service.scan() }],
    commands: slaCommands(service),
    async plugin(app) {
      await app.register(slaRoutes, { service });
    },
  };
}
