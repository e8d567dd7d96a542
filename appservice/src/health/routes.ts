import type { FastifyPluginAsync } from 'fastify';
import type { MatrixGateway } from '../matrix/gateway.ts';
import type { JournalRepository } from '../matrix/journal-repository.ts';

export interface HealthOptions {
  gateway: MatrixGateway;
  journal: JournalRepository;
}

/** Events waiting longer than this make the appservice "degraded": it is behind, not broken. */
export const BACKLOG_DEGRADED_SECONDS = 30;

/**
 * `/health/live`: the process answers. `/health/ready`: the database and Synapse answer too (503
 * otherwise). While room events wait longer than BACKLOG_DEGRADED_SECONDS, or events were set aside
 * as dead letters in the last 24 hours, it answers 200 with `status: "degraded"` and the figures:
 * the appservice still serves, an operator should look.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { gateway, journal }) => {
  app.get('/health/live', async () => ({ status: 'ok' }));

  app.get('/health/ready', async (request, reply) => {
    const [database, synapse] = await Promise.all([
      journal.ping().then(
        () => true,
        (err: unknown) => {
          request.log.warn({ err }, 'database not ready');
          return false;
        },
      ),
      gateway.reachable(),
    ]);
    const checks = { database: database ? 'ok' : 'failing', synapse: synapse ? 'ok' : 'failing' };
    if (!database || !synapse) return reply.status(503).send({ status: 'unavailable', checks });
    const [backlog, deadLetters] = await Promise.all([journal.backlog(), journal.deadLetterCount(24)]);
    const degraded = backlog.oldestSeconds > BACKLOG_DEGRADED_SECONDS || deadLetters > 0;
    return reply.send({
      status: degraded ? 'degraded' : 'ok',
      checks,
      journal: { waitingEvents: backlog.events, waitingRooms: backlog.rooms, oldestWaitingSeconds: Math.round(backlog.oldestSeconds), deadLetters24h: deadLetters },
    });
  });
};
