import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.ts';
import type { MatrixGateway } from '../matrix/gateway.ts';

export interface HealthOptions {
  db: Database;
  gateway: MatrixGateway;
}

/** `/health/live`: the process answers. `/health/ready`: the database and Synapse answer too. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { db, gateway }) => {
  app.get('/health/live', async () => ({ status: 'ok' }));

  app.get('/health/ready', async (request, reply) => {
    const [database, synapse] = await Promise.all([
      db.query('SELECT 1').then(
        () => true,
        (err: unknown) => {
          request.log.warn({ err }, 'database not ready');
          return false;
        },
      ),
      gateway.reachable(),
    ]);
    const ready = database && synapse;
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'unavailable',
      checks: { database: database ? 'ok' : 'failing', synapse: synapse ? 'ok' : 'failing' },
    });
  });
};
