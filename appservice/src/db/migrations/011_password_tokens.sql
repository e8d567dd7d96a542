-- Single-use links to set a password: reset ("forgot password") and welcome (new account).
-- Only a SHA-256 of the token is stored.
CREATE TABLE password_tokens (
  token_hash text PRIMARY KEY,
  username   text NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('reset', 'welcome')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_tokens_username ON password_tokens (username);
