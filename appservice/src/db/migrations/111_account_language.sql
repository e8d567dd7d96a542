-- The language the server speaks to an account in (notices, mails, bot replies meant for it alone),
-- from the directory; NULL = not given (the server's behaviour before issue 17).
ALTER TABLE accounts ADD COLUMN language text CHECK (language IN ('es', 'en'));
