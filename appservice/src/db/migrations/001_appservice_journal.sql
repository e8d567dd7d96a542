-- The journal of appservice transactions: each transaction from the homeserver is stored, with its
-- room events, in one commit before it is acknowledged, then processed per room in order.
CREATE TABLE appservice_transactions (
  txn_id      text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  deliveries  integer NOT NULL DEFAULT 1,
  event_count integer NOT NULL
);

CREATE TABLE appservice_events (
  seq          bigserial PRIMARY KEY,
  event_id     text NOT NULL UNIQUE,
  txn_id       text NOT NULL REFERENCES appservice_transactions (txn_id),
  room_id      text NOT NULL,
  event_type   text NOT NULL,
  event        jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);

CREATE INDEX appservice_events_pending ON appservice_events (room_id, seq) WHERE processed_at IS NULL;
