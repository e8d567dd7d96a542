-- Supervisors' reports (features/reports): each campaign's time zone (a report's days and weeks
-- are the campaign's own; NULL means the configured default), and when a chat was first answered
-- (the first message of the agent who did not open it, recorded as the appservice sees it).
ALTER TABLE campaigns ADD COLUMN time_zone text;
ALTER TABLE chats ADD COLUMN first_answer_at timestamptz;
-- Durations in milliseconds, kept by PostgreSQL, so that a report sorts integers.
ALTER TABLE chats ADD COLUMN duration_ms bigint GENERATED ALWAYS AS ((extract(epoch FROM closed_at - opened_at) * 1000)::bigint) STORED;
ALTER TABLE chats ADD COLUMN first_answer_ms bigint GENERATED ALWAYS AS ((extract(epoch FROM first_answer_at - opened_at) * 1000)::bigint) STORED;
-- A report reads the closed chats of each campaign between two instants (the campaign's local
-- midnights); everything it needs is in the index, so PostgreSQL answers from it alone.
CREATE INDEX chats_report ON chats ((COALESCE(campaign_id, '')), closed_at)
  INCLUDE (typification_code, opened_by, closed_by, duration_ms, first_answer_ms)
  WHERE status = 'closed';
