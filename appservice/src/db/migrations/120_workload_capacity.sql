-- "At limit" (issue 16): the platform feed may report each agent's capacity, the most chats they
-- may attend at once. At or over it the agent is busy: the picker lists them after the available
-- agents, with a badge, and their Matrix status message says so. NULL: no limit known.
ALTER TABLE agent_workload
  ADD COLUMN capacity integer CHECK (capacity BETWEEN 1 AND 1000),
  ADD COLUMN at_limit boolean NOT NULL GENERATED ALWAYS AS (capacity IS NOT NULL AND chats_in_attention >= capacity) STORED;
