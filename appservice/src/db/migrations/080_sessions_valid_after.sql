-- Sessions end when credentials change: an API session token issued before this time is refused
-- and the account's live streams are ended. Set at password reset, temporary password, any other
-- password change and deactivation; NULL until the first of these.
ALTER TABLE accounts ADD COLUMN sessions_valid_after timestamptz;
