-- Single sign-on from the Chattigo platform: one-time login codes (issue 17). Only a SHA-256 of
-- each code is stored; a code is for one account, works once and for at most a minute.
CREATE TABLE login_codes (
  code_hash  text PRIMARY KEY,
  username   text NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX login_codes_username ON login_codes (username);

-- Every exchange of a code, accepted or not: which account, when its code was issued and used,
-- what came of it and from which client address. Unknown codes have no account.
CREATE TABLE login_code_uses (
  id             bigserial PRIMARY KEY,
  username       text,
  issued_at      timestamptz,
  used_at        timestamptz NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('signed-in', 'expired', 'replayed', 'unknown', 'inactive', 'failed')),
  client_address text
);
CREATE INDEX login_code_uses_username ON login_code_uses (username, used_at);
