import Type, { type Static } from 'typebox';

/**
 * The custom Matrix event types of Chattigo (namespace `com.chattigo.*`), each with the schema of
 * its content. Features import the constants from here; nothing spells a type out elsewhere.
 */

/**
 * An agent's workload, as state in each campaign space the agent belongs to. Sent by the bot;
 * state_key = the agent's Chattigo username (never starting with `@`, which only that user could set).
 */
export const WORKLOAD_EVENT_TYPE = 'com.chattigo.workload';

export const WorkloadContentSchema = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    active: Type.Boolean({ description: 'Whether the agent is active (docs/directory.md).' }),
    chatsInAttention: Type.Integer({ minimum: 0, maximum: 1000 }),
    at: Type.String({ format: 'date-time', description: 'When this became true.' }),
  },
  { additionalProperties: false },
);
export type WorkloadContent = Static<typeof WorkloadContentSchema>;
