-- The journal de-duplicates by event id only. Synapse on SQLite starts its transaction ids again at
-- 1 after a restart, so a transaction id seen before says nothing about the events it carries:
-- transactions become a delivery log, keyed by their own sequence number.
ALTER TABLE appservice_events DROP CONSTRAINT appservice_events_txn_id_fkey;
ALTER TABLE appservice_transactions DROP CONSTRAINT appservice_transactions_pkey;
ALTER TABLE appservice_transactions ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE appservice_transactions ADD COLUMN stored integer NOT NULL DEFAULT 0;
ALTER TABLE appservice_transactions DROP COLUMN deliveries;
CREATE INDEX appservice_transactions_txn ON appservice_transactions (txn_id);
CREATE INDEX appservice_transactions_received ON appservice_transactions (received_at);

-- Events are kept as the JSON text Synapse sent: jsonb refuses valid Matrix content such as the
-- NUL character, and one refused event must never stop the journal.
ALTER TABLE appservice_events ALTER COLUMN event TYPE text USING event::text;
-- When a failing event may be tried again (processing backs off while Synapse or the database is away).
ALTER TABLE appservice_events ADD COLUMN first_failed_at timestamptz;
CREATE INDEX appservice_events_processed ON appservice_events (processed_at) WHERE processed_at IS NOT NULL;

-- Events that could not be used (not a room event) or that failed for good: kept with the reason
-- for an operator, counted in metrics and shown by readiness.
CREATE TABLE appservice_dead_letters (
  id          bigserial PRIMARY KEY,
  event_id    text,
  room_id     text,
  txn_id      text,
  reason      text NOT NULL,
  event       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appservice_dead_letters_created ON appservice_dead_letters (created_at);

-- Notices the bot sends because of something that happened (a command's reply, a closure, an opening),
-- recorded before they are sent, under a key derived from their cause: a replay sends the recorded
-- text again with the same transaction id (Synapse de-duplicates it), and one marked sent is never
-- sent again, however late the replay comes.
CREATE TABLE bot_notices (
  key          text PRIMARY KEY,
  room_id      text NOT NULL,
  body         text NOT NULL,
  in_reply_to  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);

-- Chats are recorded before anyone is invited ('opening') and a close is recorded before Matrix is
-- told ('closing'): a crash in between leaves a row that reconciliation finishes, never a room
-- that nothing knows of or a room closed in state but still writable.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'chats'::regclass AND contype = 'c'
              AND (pg_get_constraintdef(oid) LIKE '%closed_by%' OR pg_get_constraintdef(oid) LIKE '%''closed''%')
  LOOP
    EXECUTE format('ALTER TABLE chats DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
ALTER TABLE chats ADD CONSTRAINT chats_status_check CHECK (status IN ('opening', 'open', 'closing', 'closed'));
ALTER TABLE chats ADD CONSTRAINT chats_closure_check
  CHECK (status IN ('opening', 'open') OR (closed_by IS NOT NULL AND closed_at IS NOT NULL AND typification_code IS NOT NULL));
-- What asked for the close (the bot command's event id), so that a replay of it is the same close.
ALTER TABLE chats ADD COLUMN close_origin text;
DROP INDEX chats_one_open_per_pair;
CREATE UNIQUE INDEX chats_one_open_per_pair ON chats (pair_key) WHERE status IN ('opening', 'open');
CREATE INDEX chats_unfinished ON chats (status) WHERE status IN ('opening', 'closing');
