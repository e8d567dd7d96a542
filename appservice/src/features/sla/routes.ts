import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SlaQuerySchema, SlaReportSchema } from '@chattigo/contracts/sla';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { SlaService } from './service.ts';

/** `GET /api/v1/supervision/sla`: supervisors see their campaigns, admins every campaign. */
export const slaRoutes: FastifyPluginAsyncTypebox<{ service: SlaService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  app.get('/api/v1/supervision/sla', { schema: { querystring: SlaQuerySchema, response: { 200: SlaReportSchema } } }, async (request) => {
    const { username, role } = request.agent;
    if (role !== 'supervisor' && role !== 'admin') throw new AppError(403, 'M_FORBIDDEN', message('sla.forbidden'));
    return service.listing(username, role, request.query.limit ?? 100);
  });
};
