import Type, { type Static } from 'typebox';

/**
 * The custom Matrix event types of Chattigo (namespace `com.chattigo.*`), each with the schema of
 * its content. Every custom type is declared here and nowhere else.
 */

/**
 * State event (state_key "") in a campaign's space: the typifications that close a chat of the
 * campaign right now (its own active codes and the active global ones it does not replace).
 * Sent by the bot after every change to the campaign's catalog or to the global catalog.
 */
export const TYPIFICATIONS_EVENT = 'com.chattigo.typifications';

export const TypificationsContentSchema = Type.Object(
  {
    campaign: Type.String({ minLength: 1 }),
    typifications: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[A-Z0-9_]{1,32}$' }),
          label: Type.String({ minLength: 1, maxLength: 120 }),
          description: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TypificationsContent = Static<typeof TypificationsContentSchema>;
