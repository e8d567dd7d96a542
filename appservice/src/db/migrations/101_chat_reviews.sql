-- Audited review (features/review): every time a supervisor or an admin reads the history of a
-- chat between agents, who read which chat and when. Rows are never updated or deleted.
CREATE TABLE chat_reviews (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room_id     text NOT NULL REFERENCES chats (room_id) ON UPDATE CASCADE,
  reviewer    text NOT NULL REFERENCES accounts (username),
  reviewed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_reviews_recent ON chat_reviews (reviewed_at DESC);
CREATE INDEX chat_reviews_room ON chat_reviews (room_id, reviewed_at DESC);
