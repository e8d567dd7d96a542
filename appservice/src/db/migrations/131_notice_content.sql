-- What a notice carries besides its plain body (issue 15): its HTML version, the users it mentions,
-- and `com.chattigo.notice` (kind, recipients, the text in each language for the web client).
-- NULL for notices recorded before: they are sent with their body alone.
ALTER TABLE bot_notices ADD COLUMN extra jsonb;
