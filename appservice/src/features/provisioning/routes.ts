import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import { requireToken } from '../../matrix/auth.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { AccountSync } from '../account-sync/index.ts';
import { createAccountRepository, hashPassword, temporaryPassword } from '../accounts/index.ts';
import type { PasswordService } from '../password/index.ts';
import type { SessionRevocation } from '../session/index.ts';
import type { CatalogPublisher } from '../typifications/index.ts';
import { importDirectory } from './import.ts';

export interface ProvisioningOptions {
  db: Database;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  sync: AccountSync;
  passwords: PasswordService;
  sessions: SessionRevocation;
  publisher: CatalogPublisher;
  /** The Chattigo platform's service token. */
  token: string;
}

/** Large directories are imported in one request. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The Chattigo platform's provisioning API (service token): directory imports and temporary
 * passwords for agents without an email.
 */
export const provisioningRoutes: FastifyPluginAsyncTypebox<ProvisioningOptions> = async (app, options) => {
  const { db, sync } = options;
  const accounts = createAccountRepository(db);
  app.addHook('onRequest', async (request) => requireToken(request, options.token));

  app.put(
    '/api/v1/provisioning/directory',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }), body: Type.Unknown() },
    },
    async (request) => {
      const dryRun = request.query.dryRun ?? false;
      const { report, changedCatalogs, changedCampaigns, endedSessions } = await importDirectory(db, request.body, { dryRun });
      if (!dryRun) {
        // Deactivated accounts and new passwords: API sessions and live streams end now; the
        // Matrix sync below locks and logs out deactivated accounts.
        await options.sessions.endAll(endedSessions);
        const deactivated = new Set(report.accounts.deactivated);
        for (const username of endedSessions.filter((u) => !deactivated.has(u))) {
          await options.admin
            .logoutDevices(options.gateway.userIdFor(username))
            .catch((err: unknown) => request.log.warn({ err, username }, 'Matrix sessions not ended after a new imported password'));
        }
        report.matrix = await sync.syncPending();
        // New spaces get the current catalog; changed catalogs are re-published.
        const catalogs = new Set<string | null>([...changedCatalogs, ...changedCampaigns]);
        for (const catalog of catalogs) {
          await options.publisher.publish(catalog).catch((err: unknown) => request.log.warn({ err, catalog }, 'catalog not published'));
        }
        // New accounts with an email and no password get a link to choose one.
        for (const username of report.accounts.created) {
          options.passwords.sendWelcome(username).catch((err: unknown) => request.log.error({ err, username }, 'welcome mail failed'));
        }
      }
      request.log.info({ report: { ...report, campaigns: undefined, accounts: undefined } }, 'directory imported');
      return report;
    },
  );

  app.post(
    '/api/v1/provisioning/accounts/:username/temporary-password',
    { schema: { params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }) } },
    async (request) => {
      const account = await accounts.find(request.params.username);
      if (!account?.active) {
        throw new AppError(404, 'M_NOT_FOUND', message('accounts.noActiveAccount', { username: request.params.username }));
      }
      const password = temporaryPassword();
      await accounts.setPassword(account.username, await hashPassword(password), new Date());
      try {
        await options.admin.logoutDevices(options.gateway.userIdFor(account.username));
      } finally {
        await options.sessions.end(account.username);
      }
      return { username: account.username, temporaryPassword: password };
    },
  );
};
