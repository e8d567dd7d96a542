-- The Chattigo directory: accounts, campaigns and who belongs to which campaign.
CREATE TABLE campaigns (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  space_room_id text UNIQUE,
  -- Bumped on every change that Matrix must reflect (name, members); matrix_version says what Matrix has.
  version        integer NOT NULL DEFAULT 1,
  matrix_version integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  username      text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  email         text,
  role          text NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'supervisor', 'admin')),
  active        boolean NOT NULL DEFAULT true,
  -- Argon2id (PHC string) or an imported bcrypt hash; NULL until the agent sets a password.
  password_hash text,
  -- The hash last received from an import: re-importing it does not undo a password set since.
  imported_password_hash text,
  -- Bumped on every change that Matrix must reflect; matrix_version says what Matrix has.
  version       integer NOT NULL DEFAULT 1,
  matrix_version integer NOT NULL DEFAULT 0,
  -- Whether the Matrix account is locked (it is while the Chattigo account is deactivated).
  matrix_locked boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_matrix_pending ON accounts (username) WHERE matrix_version < version;
CREATE INDEX accounts_email ON accounts (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE memberships (
  username    text NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
  campaign_id text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  PRIMARY KEY (username, campaign_id)
);
CREATE INDEX memberships_campaign ON memberships (campaign_id);
