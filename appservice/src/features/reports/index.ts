import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Feature } from '../feature.ts';
import { reportCommands } from './commands.ts';
import type { CsvSeparator } from './csv.ts';
import type { ChatRepository } from '../chats/index.ts';
import { firstAnswerRecorder } from './first-answer.ts';
import { reportRoutes } from './routes.ts';
import { ReportService } from './service.ts';

export { forbidden, supervises, ReportService, type Viewer } from './service.ts';

export interface ReportsDeps {
  db: Database;
  gateway: MatrixGateway;
  defaultTimeZone: string;
  csvSeparator: CsvSeparator;
  /** The client's supervisor section, linked from `!reporte`. */
  sectionUrl: string;
  /** The chats, read by the first-answer recorder (once per event with the other handlers). */
  chats: Pick<ChatRepository, 'find'>;
}

export interface ReportsFeature extends Feature {
  service: ReportService;
}

/** Supervisors' reports: `/api/v1/reports` (+ CSV), `!reporte`, and the first-answer times they use. */
export function createReports(deps: ReportsDeps): ReportsFeature {
  const service = new ReportService({ db: deps.db, defaultTimeZone: deps.defaultTimeZone });
  return {
    name: 'reports',
    service,
    commands: reportCommands(service, { sectionUrl: deps.sectionUrl }),
    roomHandlers: [firstAnswerRecorder({ gateway: deps.gateway, repo: service.repo, chats: deps.chats })],
    async plugin(app) {
      await app.register(reportRoutes, { reports: service, csvSeparator: deps.csvSeparator });
    },
  };
}
