import Type, { type Static } from 'typebox';

/** `GET /api/v1/supervision/sla` (issue 16): imported by the appservice and the web client. */

/** What a question and its escalation both say. */
const questionFields = {
  roomId: Type.String(),
  eventId: Type.String(),
  asker: Type.String({ description: 'Username of the agent who asked.' }),
  askee: Type.String({ description: 'Username of the agent who must answer.' }),
  askerName: Type.String({ description: 'Display name (the username when the account is unknown).' }),
  askeeName: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  campaignName: Type.Union([Type.String(), Type.Null()]),
  askedAt: Type.String({ format: 'date-time' }),
  slaSeconds: Type.Number(),
};

export const SlaQuestionSchema = Type.Object({ ...questionFields, reminded: Type.Boolean(), escalated: Type.Boolean() });
export type SlaQuestion = Static<typeof SlaQuestionSchema>;

export const SlaEscalationSchema = Type.Object({ ...questionFields, escalatedAt: Type.String({ format: 'date-time' }) });
export type SlaEscalation = Static<typeof SlaEscalationSchema>;

export const SlaReportSchema = Type.Object({
  /** Open questions past their SLA now, oldest first. */
  overdue: Type.Array(SlaQuestionSchema),
  /** The latest escalations to the supervisors, newest first. */
  escalations: Type.Array(SlaEscalationSchema),
});
export type SlaReport = Static<typeof SlaReportSchema>;

export const SlaQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);
export type SlaQuery = Static<typeof SlaQuerySchema>;
