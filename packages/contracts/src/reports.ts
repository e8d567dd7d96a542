import Type, { type Static } from 'typebox';

/** Shapes of the supervisors' reports and audited review (issue 16); imported by the appservice and the web client. */

const LocalDate = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const REPORT_GROUPINGS = ['typification', 'campaign', 'opener', 'closer', 'day', 'week'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** `GET /api/v1/reports` and `GET /api/v1/reports/export.csv` query string. */
export const ReportQuerySchema = Type.Object(
  {
    from: Type.Optional(LocalDate("First day (YYYY-MM-DD, in each campaign's time zone); default: 27 days before `to`.")),
    to: Type.Optional(LocalDate('Last day, included (YYYY-MM-DD); default: today.')),
    campaign: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'Only this campaign; default: every campaign the caller may see.' })),
    by: Type.Optional(Type.Enum([...REPORT_GROUPINGS], { default: 'typification', description: 'What the rows are.' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuerySchema>;

/** Median and 90th percentile in seconds (linear interpolation, as PostgreSQL's percentile_cont); null without data. */
export const SpreadSchema = Type.Object({
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
});
export type Spread = Static<typeof SpreadSchema>;

export const ReportRowSchema = Type.Object({
  key: Type.String({ description: 'Typification code, campaign id, username, or the first day of the period (YYYY-MM-DD).' }),
  label: Type.String(),
  closed: Type.Integer({ minimum: 0, description: 'Closed chats.' }),
  answered: Type.Integer({ minimum: 0, description: 'Of them, answered by the agent who did not open them.' }),
  duration: SpreadSchema,
  firstAnswer: SpreadSchema,
});
export type ReportRow = Static<typeof ReportRowSchema>;

export const ReportSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  by: Type.Enum([...REPORT_GROUPINGS]),
  campaigns: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() })),
  approximate: Type.Boolean({
    description: 'Whether medians and p90 were estimated from the rollup (more chats than reports are computed exactly for): within 2 % of the exact figures. Counts are always exact.',
  }),
  total: ReportRowSchema,
  rows: Type.Array(ReportRowSchema),
});
export type Report = Static<typeof ReportSchema>;

/** `GET /api/v1/review/chats` query string. */
export const ReviewChatsQuerySchema = Type.Object(
  {
    campaign: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' })),
    agent: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Chats this agent took part in.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ReviewChatsQuery = Static<typeof ReviewChatsQuerySchema>;

const Person = Type.Object({ username: Type.String(), displayName: Type.String() });

export const ReviewChatSchema = Type.Object({
  roomId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  campaignName: Type.Union([Type.String(), Type.Null()]),
  openedBy: Person,
  peer: Person,
  openedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  typification: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
});
export type ReviewChat = Static<typeof ReviewChatSchema>;

export const ReviewChatListSchema = Type.Object({ chats: Type.Array(ReviewChatSchema) });
export type ReviewChatList = Static<typeof ReviewChatListSchema>;

export const ReviewMessageSchema = Type.Object({
  eventId: Type.String(),
  sender: Type.String({ description: 'Username, or the Matrix user id of someone without an account (the bot).' }),
  senderName: Type.String(),
  at: Type.String(),
  kind: Type.Enum(['text', 'notice', 'file', 'image', 'other']),
  body: Type.String(),
});
export type ReviewMessage = Static<typeof ReviewMessageSchema>;

/** `GET /api/v1/review/chats/:roomId`: the read-only history; recorded as one review. */
export const ReviewTranscriptSchema = Type.Object({
  reviewId: Type.String(),
  chat: ReviewChatSchema,
  messages: Type.Array(ReviewMessageSchema),
  /** True when the history was cut at the limit (the oldest messages are left out). */
  truncated: Type.Boolean(),
});
export type ReviewTranscript = Static<typeof ReviewTranscriptSchema>;

/** `GET /api/v1/review/audit` (admins): who read which chat, when. */
export const ReviewAuditSchema = Type.Object({
  reviews: Type.Array(
    Type.Object({
      id: Type.String(),
      roomId: Type.String(),
      reviewer: Person,
      reviewedAt: Type.String(),
      campaignId: Type.Union([Type.String(), Type.Null()]),
      participants: Type.Array(Type.String()),
    }),
  ),
});
export type ReviewAudit = Static<typeof ReviewAuditSchema>;

/** "1 h 05 min", "4 min 07 s", "12 s": a duration for people (the same in Spanish and English); used by the bot and the web client. */
export function humanDuration(totalSeconds: number | null): string {
  if (totalSeconds === null) return '—';
  const s = Math.round(totalSeconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
