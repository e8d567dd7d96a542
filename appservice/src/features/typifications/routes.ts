import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import { TypificationsContentSchema } from '@chattigo/contracts/event-types';
import type { AccountRepository } from '../accounts/index.ts';
import { requireRole } from '../session/index.ts';
import { checkCatalog, SnapshotSchema } from './model.ts';
import { catalogContent } from './publisher.ts';
import type { TypificationService } from './service.ts';

export interface TypificationRoutesOptions {
  accounts: AccountRepository;
  service: TypificationService;
}

const CatalogQuery = Type.Object(
  { campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Campaign id; omitted or "global": the global catalog.' })) },
  { additionalProperties: false },
);

/** The same shape as the `com.chattigo.typifications` state content, with null for the global catalog. */
const CatalogResponse = Type.Object({
  campaign: Type.Union([Type.String(), Type.Null()]),
  typifications: TypificationsContentSchema.properties.typifications,
});

const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'How many entries, newest first (default 50).' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'Only entries older than this id (paging).' })),
  },
  { additionalProperties: false },
);

const AuditResponse = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String({ format: 'date-time' }),
      actor: Type.String(),
      via: Type.Union([Type.Literal('command'), Type.Literal('import'), Type.Literal('api')]),
      action: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('deactivate'), Type.Literal('reactivate')]),
      campaign: Type.Union([Type.String(), Type.Null()]),
      code: Type.String(),
      before: Type.Union([SnapshotSchema, Type.Null()]),
      after: SnapshotSchema,
      source: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/**
 * `GET /api/v1/typifications?campaign=<id>`: the catalog that closes a chat of the campaign now
 * (an agent sees the campaigns they belong to; supervisors and admins any).
 * `GET /api/v1/typifications/audit`: the change history, for admins.
 */
export const typificationRoutes: FastifyPluginAsyncTypebox<TypificationRoutesOptions> = async (app, { accounts, service }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/v1/typifications', { schema: { querystring: CatalogQuery, response: { 200: CatalogResponse } } }, async (request) => {
    const catalog = checkCatalog(request.query.campaign ?? null);
    if (!catalog.ok) throw new AppError(400, 'M_INVALID_PARAM', catalog.problem);
    const campaign = catalog.value;
    if (campaign !== null) {
      if (!(await service.findCampaign(campaign))) {
        throw new AppError(404, 'M_NOT_FOUND', message('typifications.noSuchCampaign', { campaign }));
      }
      if (request.agent.role === 'agent') {
        const account = await accounts.find(request.agent.username);
        if (!account?.campaigns.includes(campaign)) {
          throw new AppError(403, 'M_FORBIDDEN', message('typifications.onlyOwnCampaigns'));
        }
      }
    }
    const content = catalogContent(campaign ?? 'global', await service.catalogFor(campaign));
    return { campaign, typifications: content.typifications };
  });

  app.get(
    '/api/v1/typifications/audit',
    { onRequest: requireRole('admin'), schema: { querystring: AuditQuery, response: { 200: AuditResponse } } },
    async (request) => {
      const entries = await service.audit({ limit: request.query.limit ?? 50, ...(request.query.before ? { beforeId: request.query.before } : {}) });
      return { entries: entries.map(({ campaignId, ...e }) => ({ ...e, campaign: campaignId })) };
    },
  );
};
