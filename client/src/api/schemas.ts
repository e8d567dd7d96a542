import Type, { type Static } from 'typebox';

/**
 * The shapes the client checks at runtime that are not the appservice's contracts: Synapse's
 * answers and the error body both servers send. The appservice's response shapes come from
 * `@chattigo/contracts` (the same schemas its routes answer with).
 */

/** An error answer of the appservice (`errors.ts`) or of Synapse. */
export const ErrorBodySchema = Type.Object({
  errcode: Type.String(),
  error: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  retry_after_ms: Type.Optional(Type.Number()),
});
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** Synapse's answer to `POST /_matrix/client/v3/login`. */
export const MatrixLoginSchema = Type.Object({
  user_id: Type.String(),
  access_token: Type.String(),
  device_id: Type.String(),
});
export type MatrixLogin = Static<typeof MatrixLoginSchema>;

/** An answer whose content does not matter (Synapse's `{}`). */
export const EmptySchema = Type.Object({});

/**
 * Synapse's answer to `POST /_matrix/client/v3/search`, the `room_events` category: the parts
 * the chat search reads (each result's event, Synapse's words to highlight, the next page's token).
 */
export const RoomEventsSearchSchema = Type.Object({
  search_categories: Type.Object({
    room_events: Type.Object({
      count: Type.Optional(Type.Number()),
      highlights: Type.Optional(Type.Array(Type.String())),
      next_batch: Type.Optional(Type.String()),
      results: Type.Optional(
        Type.Array(
          Type.Object({
            result: Type.Object({
              event_id: Type.String(),
              room_id: Type.String(),
              sender: Type.String(),
              origin_server_ts: Type.Number(),
              content: Type.Object({ body: Type.Optional(Type.String()), msgtype: Type.Optional(Type.String()) }),
            }),
          }),
        ),
      ),
    }),
  }),
});
export type RoomEventsSearch = Static<typeof RoomEventsSearchSchema>;
