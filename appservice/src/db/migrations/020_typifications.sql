-- Typification catalogs: one per campaign plus the global one (campaign_id NULL). A code is unique
-- within its catalog; removing one only deactivates it, so closed chats keep what they were closed with.
CREATE TABLE typifications (
  id          bigserial PRIMARY KEY,
  campaign_id text REFERENCES campaigns (id) ON DELETE CASCADE,
  code        text NOT NULL CHECK (code ~ '^[A-Z0-9_]{1,32}$'),
  label       text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 120),
  description text CHECK (description IS NULL OR char_length(description) BETWEEN 1 AND 500),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- One code per catalog, the global catalog included ('' never is a campaign id).
CREATE UNIQUE INDEX typifications_catalog_code ON typifications ((coalesce(campaign_id, '')), code);
CREATE INDEX typifications_code ON typifications (code);

-- Every change to a catalog: who, when, how, and the typification before and after.
CREATE TABLE typification_audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 200),
  via         text NOT NULL CHECK (via IN ('command', 'import', 'api')),
  action      text NOT NULL CHECK (action IN ('create', 'update', 'deactivate', 'reactivate')),
  -- No foreign key: the history outlives a campaign.
  campaign_id text,
  code        text NOT NULL,
  before      jsonb,
  after       jsonb NOT NULL,
  -- Where the change came from, e.g. the Matrix event id of the bot command.
  source      text
);
CREATE INDEX typification_audit_recent ON typification_audit (at DESC, id DESC);
