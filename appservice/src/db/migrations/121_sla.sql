-- Answer-time SLA (issue 16). A campaign may set its own SLA in minutes (fractions allowed; 0: off;
-- NULL: the configured default, sla.defaultMinutes). Each open chat has at most one open question
-- (features/sla/model.ts) with its due times; the leader's periodic scan sends what is due, once.
ALTER TABLE campaigns ADD COLUMN sla_minutes double precision CHECK (sla_minutes BETWEEN 0 AND 1440);

CREATE TABLE sla_questions (
  room_id      text PRIMARY KEY REFERENCES chats (room_id) ON DELETE CASCADE,
  -- The message that asked it: the key of its reminder and escalation.
  event_id     text NOT NULL UNIQUE,
  asker        text NOT NULL,
  askee        text NOT NULL,
  campaign_id  text REFERENCES campaigns (id) ON DELETE SET NULL,
  asked_at     timestamptz NOT NULL,
  sla_ms       integer NOT NULL CHECK (sla_ms > 0),
  remind_at    timestamptz NOT NULL,
  escalate_at  timestamptz NOT NULL,
  reminded_at  timestamptz,
  escalated_at timestamptz
);
CREATE INDEX sla_questions_remind_due ON sla_questions (remind_at) WHERE reminded_at IS NULL;
CREATE INDEX sla_questions_escalate_due ON sla_questions (escalate_at) WHERE escalated_at IS NULL;

-- Every escalation to the supervisors, kept after the question is answered (GET /api/v1/supervision/sla).
CREATE TABLE sla_escalations (
  event_id     text PRIMARY KEY,
  room_id      text NOT NULL,
  campaign_id  text,
  asker        text NOT NULL,
  askee        text NOT NULL,
  asked_at     timestamptz NOT NULL,
  sla_ms       integer NOT NULL,
  escalated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_escalations_campaign ON sla_escalations (campaign_id, escalated_at DESC);

-- The bot's direct chat with each supervisor, where escalations are told.
CREATE TABLE sla_supervisor_rooms (
  username text PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
  room_id  text NOT NULL
);
