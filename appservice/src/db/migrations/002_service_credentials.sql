-- Credentials the appservice obtains for itself at run time (e.g. its Synapse admin access token).
CREATE TABLE service_credentials (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
