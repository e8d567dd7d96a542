import Type, { type Static } from 'typebox';
import { ROLES } from './roles.ts';

/** `GET /api/v1/directory` query string. */
export const DirectoryQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Words of a name or username; accents and case are ignored.' })),
    status: Type.Optional(Type.Enum(['all', 'active', 'inactive'], { default: 'all' })),
    campaign: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'Only agents of this campaign (its id).' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type DirectoryQuery = Static<typeof DirectoryQuerySchema>;

export const CampaignRefSchema = Type.Object({ id: Type.String(), name: Type.String() });
export type CampaignRef = Static<typeof CampaignRefSchema>;

export const DirectoryAgentSchema = Type.Object({
  username: Type.String(),
  userId: Type.String({ description: 'Matrix user id.' }),
  displayName: Type.String(),
  role: Type.Enum([...ROLES]),
  active: Type.Boolean(),
  chatsInAttention: Type.Integer({ minimum: 0 }),
  /** The most chats the agent may attend at once (from the platform), when it reported one. */
  capacity: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** Chats in attention reached the capacity: the agent is busy (a message may wait longer). */
  atLimit: Type.Boolean(),
  campaigns: Type.Array(CampaignRefSchema),
});
export type DirectoryAgent = Static<typeof DirectoryAgentSchema>;

export const DirectoryPageSchema = Type.Object({
  agents: Type.Array(DirectoryAgentSchema),
  /** How many agents match, over all pages. */
  total: Type.Integer({ minimum: 0 }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  /** The campaigns the list can be filtered by (those with an active account besides the caller), by name. */
  campaigns: Type.Array(CampaignRefSchema),
});
export type DirectoryPage = Static<typeof DirectoryPageSchema>;

export const PLATFORM_STATUSES = ['online', 'away', 'offline'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** One report of the Chattigo platform about one agent. */
export const WorkloadReportSchema = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
    status: Type.Enum([...PLATFORM_STATUSES]),
    chatsInAttention: Type.Integer({ minimum: 0, maximum: 1000 }),
    capacity: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: 'The most chats the agent may attend at once; at or over it the agent is shown "at limit". Omitted: no limit known.',
      }),
    ),
    at: Type.String({ format: 'date-time', description: 'When the platform observed this (ISO 8601 with time zone).' }),
  },
  { additionalProperties: false },
);
export type WorkloadReport = Static<typeof WorkloadReportSchema>;

export const MAX_REPORTS_PER_BATCH = 10_000;

/** `PUT /api/v1/platform/workload`: a batch of reports; a single report is a batch of one. */
export const WorkloadFeedSchema = Type.Object(
  { reports: Type.Array(WorkloadReportSchema, { minItems: 1, maxItems: MAX_REPORTS_PER_BATCH }) },
  { additionalProperties: false },
);
export type WorkloadFeed = Static<typeof WorkloadFeedSchema>;

export const ReportOutcomeSchema = Type.Enum(['applied', 'stale', 'unknown_username']);
export type ReportOutcome = Static<typeof ReportOutcomeSchema>;

export const WorkloadFeedResultSchema = Type.Object({
  results: Type.Array(Type.Object({ username: Type.String(), outcome: ReportOutcomeSchema })),
});
export type WorkloadFeedResult = Static<typeof WorkloadFeedResultSchema>;

/** What a live-update client receives for one agent whose activity or count changed. */
export const WorkloadChangeSchema = Type.Object({
  username: Type.String(),
  active: Type.Boolean(),
  chatsInAttention: Type.Integer({ minimum: 0 }),
  atLimit: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
});
export type WorkloadChange = Static<typeof WorkloadChangeSchema>;

/** The data of the live stream's `workload` event (the appservice's features/directory/live.ts). */
export const WorkloadEventSchema = Type.Object({ changes: Type.Array(WorkloadChangeSchema) });
export type WorkloadEvent = Static<typeof WorkloadEventSchema>;
