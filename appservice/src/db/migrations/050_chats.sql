-- Internal chats between two agents. Matrix room state is what clients see; this table is the
-- appservice's index and audit of them, written by the same code and reconciled at start-up.
CREATE TABLE chats (
  room_id             text PRIMARY KEY,
  opened_by           text NOT NULL REFERENCES accounts (username),
  peer                text NOT NULL REFERENCES accounts (username),
  -- Both usernames, sorted: at most one open chat per pair.
  pair_key            text NOT NULL,
  campaign_id         text REFERENCES campaigns (id),
  status              text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at           timestamptz NOT NULL DEFAULT now(),
  closed_by           text REFERENCES accounts (username),
  closed_at           timestamptz,
  typification_code   text,
  typification_label  text,
  CHECK (opened_by <> peer),
  CHECK (status = 'open' OR (closed_by IS NOT NULL AND closed_at IS NOT NULL AND typification_code IS NOT NULL))
);
CREATE UNIQUE INDEX chats_one_open_per_pair ON chats (pair_key) WHERE status = 'open';
CREATE INDEX chats_opened_by ON chats (opened_by, opened_at DESC);
CREATE INDEX chats_peer ON chats (peer, opened_at DESC);
