-- The agent picker: accent- and case-insensitive name keys on accounts, and each agent's workload
-- (from the Chattigo platform feed) and Matrix presence (from the homeserver's ephemeral events).
-- The normalisation below must stay identical to features/directory/normalize.ts (a test checks it):
-- A-Z and accented Latin letters become plain lower-case letters; combining accents are removed.
ALTER TABLE accounts
  ADD COLUMN directory_sort text COLLATE "C" GENERATED ALWAYS AS (
    translate(display_name,
      'ABCDEFGHIJKLMNOPQRSTUVWXYZáàäâãåÁÀÄÂÃÅéèëêÉÈËÊíìïîÍÌÏÎóòöôõøÓÒÖÔÕØúùüûÚÙÜÛñÑçÇýÿÝ' || U&'\0300\0301\0302\0303\0308\030A\0327',
      'abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuunnccyyy')
  ) STORED,
  ADD COLUMN directory_search text COLLATE "C" GENERATED ALWAYS AS (
    translate(display_name || ' ' || username,
      'ABCDEFGHIJKLMNOPQRSTUVWXYZáàäâãåÁÀÄÂÃÅéèëêÉÈËÊíìïîÍÌÏÎóòöôõøÓÒÖÔÕØúùüûÚÙÜÛñÑçÇýÿÝ' || U&'\0300\0301\0302\0303\0308\030A\0327',
      'abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuunnccyyy')
  ) STORED;

-- One row per agent once the platform has reported them or Matrix presence was seen.
CREATE TABLE agent_workload (
  username           text PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
  -- From the platform feed: the latest report by its own timestamp (older reports are ignored).
  platform_status    text CHECK (platform_status IN ('online', 'away', 'offline')),
  chats_in_attention integer NOT NULL DEFAULT 0 CHECK (chats_in_attention BETWEEN 0 AND 1000),
  reported_at        timestamptz,
  -- From Matrix: the user's presence as the homeserver last reported it, and when it arrived.
  presence           text,
  presence_status_msg text,
  presence_at        timestamptz,
  -- The rule of docs/directory.md: a live Matrix session, or the platform says online.
  active boolean NOT NULL GENERATED ALWAYS AS (
    coalesce(platform_status = 'online', false)
    OR coalesce(presence IN ('online', 'unavailable', 'busy', 'org.matrix.msc3026.busy'), false)
  ) STORED
);

-- No index serves the directory listing: it reads every active account to order them (active first,
-- then by name) and to count them, which bench/directory measures at 10,000 agents. This one serves
-- the periodic re-read of live presence (features/directory/presence-in.ts).
CREATE INDEX agent_workload_live_presence ON agent_workload (presence_at) WHERE presence IS NOT NULL AND presence <> 'offline';
