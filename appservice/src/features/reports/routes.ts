import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReportQuerySchema, ReportSchema } from '@chattigo/contracts/reports';
import { requestLanguage } from '../../errors.ts';
import type { CsvSeparator } from './csv.ts';
import type { ReportService } from './service.ts';

/**
 * `GET /api/v1/reports`: closed chats counted and timed (supervisors: their campaigns; admins:
 * all; agents: 403). `GET /api/v1/reports/export.csv`: the same table as a CSV download.
 */
export const reportRoutes: FastifyPluginAsyncTypebox<{ reports: ReportService; csvSeparator: CsvSeparator }> = async (
  app,
  { reports, csvSeparator },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/v1/reports', { schema: { querystring: ReportQuerySchema, response: { 200: ReportSchema } } }, async (request) =>
    reports.report(request.agent, request.query, requestLanguage(request)),
  );

  app.get('/api/v1/reports/export.csv', { schema: { querystring: ReportQuerySchema } }, async (request, reply) => {
    const lang = requestLanguage(request);
    const report = await reports.report(request.agent, request.query, lang);
    const name = `chattigo-reporte-${report.by}-${report.from}-${report.to}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(reports.csv(report, lang, csvSeparator));
  });
};
