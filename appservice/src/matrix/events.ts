import Type, { type Static } from 'typebox';

/** A room event as the homeserver sends it in a transaction (extra fields are kept as they are). */
export const RoomEventSchema = Type.Object(
  {
    event_id: Type.String({ minLength: 1, maxLength: 255 }),
    room_id: Type.String({ minLength: 1, maxLength: 255 }),
    type: Type.String({ minLength: 1, maxLength: 255 }),
    sender: Type.String({ minLength: 1, maxLength: 255 }),
    origin_server_ts: Type.Integer(),
    content: Type.Record(Type.String(), Type.Unknown()),
    state_key: Type.Optional(Type.String()),
    unsigned: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
export type RoomEvent = Static<typeof RoomEventSchema>;

/** An ephemeral event (typing, receipt, presence): no id, not persisted. */
export const EphemeralEventSchema = Type.Object(
  { type: Type.String({ minLength: 1 }), content: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: true },
);

export const TransactionBodySchema = Type.Object(
  {
    events: Type.Array(RoomEventSchema, { maxItems: 1000 }),
    ephemeral: Type.Optional(Type.Array(EphemeralEventSchema)),
    'de.sorunome.msc2409.ephemeral': Type.Optional(Type.Array(EphemeralEventSchema)),
  },
  { additionalProperties: true },
);
export type TransactionBody = Static<typeof TransactionBodySchema>;
