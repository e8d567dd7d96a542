import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** A room event as the homeserver sends it in a transaction (extra fields are kept as they are). */
export const RoomEventSchema = Type.Object(
  {
    event_id: Type.String({ minLength: 1, maxLength: 255 }),
    room_id: Type.String({ minLength: 1, maxLength: 255 }),
    type: Type.String({ minLength: 1, maxLength: 255 }),
    sender: Type.String({ minLength: 1, maxLength: 255 }),
    origin_server_ts: Type.Number(),
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

export type EphemeralEvent = Static<typeof EphemeralEventSchema>;

// Compiled once: every event of every transaction is checked, twice (stored, then read back).
const roomEventValidator = Compile(RoomEventSchema);
const ephemeralEventValidator = Compile(EphemeralEventSchema);

export type ReadEvent = { ok: true; event: RoomEvent } | { ok: false; reason: string };

/**
 * Reads one entry of a transaction's `events` as a room event, leniently: the fields the
 * appservice relies on must be there, anything else is kept as it came. An entry that fails says why.
 */
export function readRoomEvent(entry: unknown): ReadEvent {
  if (roomEventValidator.Check(entry)) return { ok: true, event: entry };
  const [first] = roomEventValidator.Errors(entry);
  const where = first?.instancePath || '(the entry)';
  return { ok: false, reason: `not a usable room event: ${where} ${first?.message ?? 'is invalid'}` };
}

/** The ephemeral events of a transaction that have the shape of one (the others are skipped). */
export function readEphemeral(entries: unknown): EphemeralEvent[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter((e): e is EphemeralEvent => ephemeralEventValidator.Check(e));
}
