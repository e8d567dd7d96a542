-- A chat is recorded before its room is created, under the room id 'opening:<opening_id>'; the
-- room carries opening_id in its chat state, so a crash in between is paired up or torn down.
ALTER TABLE chats ADD COLUMN opening_id text UNIQUE;
