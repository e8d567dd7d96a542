-- Supervisors' reports over millions of chats (features/reports, docs/decisions/0015): a rollup of
-- the closed chats kept by a trigger on chats, so it changes in the same statement (and the same
-- transaction) as the row it summarises, whoever writes it (a close, reconciliation, a first
-- answer, the demo rows, tests).
--
-- One row per (campaign, dim, value, day): dim 'all' (value ''), 'typification' (the code),
-- 'opener' or 'closer' (the username); day is the local date of the close in the campaign's time
-- zone. Each row is CUMULATIVE: the figures of every closed chat of that group closed on `day` or
-- before. A range [a, b] of local days is then the row at or before b minus the row at or before
-- a - 1: two rows per group, whatever the length of the range.
--
-- duration_hist / answer_hist count chats per bucket of the duration (open -> close) and of the
-- time to the first answer: index 1 is [0, 1 s); index i > 1 is [1000 * 1.02^(i-2), 1000 *
-- 1.02^(i-1)) ms. Missing elements (NULL) are 0. features/reports/histogram.ts reads them.

-- The configured reports.defaultTimeZone as the rollup was built with it (one row); the reports
-- feature rebuilds what depends on it when the configuration changes it.
CREATE TABLE report_settings (
  id                boolean PRIMARY KEY DEFAULT true CHECK (id),
  default_time_zone text NOT NULL
);
INSERT INTO report_settings (default_time_zone) VALUES ('America/Santiago');

CREATE TABLE chat_rollup (
  campaign      text NOT NULL,
  dim           text NOT NULL CHECK (dim IN ('all', 'typification', 'opener', 'closer')),
  value         text NOT NULL,
  day           date NOT NULL,
  -- The typification's label as the latest close gave it (dim 'typification').
  label         text,
  closed        bigint NOT NULL,
  answered      bigint NOT NULL,
  duration_hist integer[] NOT NULL,
  answer_hist   integer[] NOT NULL,
  PRIMARY KEY (campaign, dim, value, day)
);

-- The bucket (1-based array index) of a duration in milliseconds.
CREATE FUNCTION chat_rollup_bucket(ms bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN ms < 1000 THEN 1 ELSE 2 + floor(ln(ms / 1000.0) / ln(1.02))::integer END;

-- The time zone a campaign's days are counted in: its own, else the configured default; a zone
-- PostgreSQL does not know counts as UTC rather than failing a close.
CREATE FUNCTION chat_rollup_zone(campaign text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  zone text;
BEGIN
  SELECT COALESCE((SELECT time_zone FROM campaigns WHERE id = campaign), (SELECT default_time_zone FROM report_settings)) INTO zone;
  BEGIN
    PERFORM now() AT TIME ZONE zone;
  EXCEPTION WHEN OTHERS THEN
    RETURN 'UTC';
  END;
  RETURN zone;
END $$;

-- Adds (sign 1) or removes (sign -1) one closed chat to or from the rollup.
CREATE FUNCTION chat_rollup_apply(c chats, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  grp      text := COALESCE(c.campaign_id, '');
  close_day date;
  d_bucket integer;
  a_bucket integer;
  g        record;
BEGIN
  IF c.status <> 'closed' THEN
    RETURN;
  END IF;
  -- A rebuild of this campaign (a time-zone change) takes the exclusive side.
  PERFORM pg_advisory_xact_lock_shared(hashtext('chat-rollup'), hashtext(grp));
  close_day := (c.closed_at AT TIME ZONE chat_rollup_zone(grp))::date;
  d_bucket := chat_rollup_bucket(GREATEST(c.duration_ms, 0));
  a_bucket := CASE WHEN c.first_answer_ms IS NULL THEN NULL ELSE chat_rollup_bucket(GREATEST(c.first_answer_ms, 0)) END;
  FOR g IN SELECT * FROM (VALUES ('all', ''), ('typification', c.typification_code), ('opener', c.opened_by), ('closer', c.closed_by)) AS v (dim, value) LOOP
    -- The group's row for this day starts as a copy of its latest row before it.
    INSERT INTO chat_rollup (campaign, dim, value, day, label, closed, answered, duration_hist, answer_hist)
    SELECT grp, g.dim, g.value, close_day, p.label, COALESCE(p.closed, 0), COALESCE(p.answered, 0),
           COALESCE(p.duration_hist, '{0}'), COALESCE(p.answer_hist, '{0}')
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (
        SELECT r.label, r.closed, r.answered, r.duration_hist, r.answer_hist FROM chat_rollup r
         WHERE r.campaign = grp AND r.dim = g.dim AND r.value = g.value AND r.day < close_day
         ORDER BY r.day DESC LIMIT 1
      ) AS p ON true
    ON CONFLICT DO NOTHING;
    -- Cumulative rows: this day's and every later one.
    UPDATE chat_rollup r
       SET closed = r.closed + sign,
           answered = r.answered + CASE WHEN a_bucket IS NULL THEN 0 ELSE sign END,
           duration_hist[d_bucket] = COALESCE(r.duration_hist[d_bucket], 0) + sign,
           label = CASE WHEN g.dim = 'typification' AND sign > 0 THEN c.typification_label ELSE r.label END
     WHERE r.campaign = grp AND r.dim = g.dim AND r.value = g.value AND r.day >= close_day;
    IF a_bucket IS NOT NULL THEN
      UPDATE chat_rollup r SET answer_hist[a_bucket] = COALESCE(r.answer_hist[a_bucket], 0) + sign
       WHERE r.campaign = grp AND r.dim = g.dim AND r.value = g.value AND r.day >= close_day;
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION chat_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'closed' THEN
    -- An update that changes nothing the rollup counts leaves it alone (the common case: none).
    IF TG_OP = 'UPDATE' AND NEW.status = 'closed'
       AND NEW.campaign_id IS NOT DISTINCT FROM OLD.campaign_id AND NEW.closed_at = OLD.closed_at
       AND NEW.duration_ms = OLD.duration_ms AND NEW.first_answer_ms IS NOT DISTINCT FROM OLD.first_answer_ms
       AND NEW.typification_code = OLD.typification_code AND NEW.typification_label IS NOT DISTINCT FROM OLD.typification_label
       AND NEW.opened_by = OLD.opened_by AND NEW.closed_by = OLD.closed_by THEN
      RETURN NULL;
    END IF;
    PERFORM chat_rollup_apply(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'closed' THEN
    PERFORM chat_rollup_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER chats_rollup AFTER INSERT OR UPDATE OR DELETE ON chats
  FOR EACH ROW EXECUTE FUNCTION chat_rollup_trigger();

-- Builds the rollup again from the chats, for one campaign ('' = the chats without one) or for
-- all of them (NULL): the backfill below, a campaign's time-zone change, a new default zone.
CREATE FUNCTION chat_rollup_rebuild(only_campaign text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r        record;
  -- The group and day being summed (campaign, dim, value, day); NULL before the first row.
  c_campaign text;
  c_dim    text;
  c_value  text;
  c_day    date;
  closed   bigint;
  answered bigint;
  label    text;
  d_hist   integer[];
  a_hist   integer[];
BEGIN
  IF only_campaign IS NULL THEN
    LOCK TABLE chat_rollup IN EXCLUSIVE MODE;
    DELETE FROM chat_rollup;
  ELSE
    PERFORM pg_advisory_xact_lock(hashtext('chat-rollup'), hashtext(only_campaign));
    DELETE FROM chat_rollup WHERE campaign = only_campaign;
  END IF;
  -- Per group and day, the chats closed that day as (metric, bucket, count); walked in day order
  -- with running histograms, one cumulative row written per group and day.
  FOR r IN
    WITH zones AS (
      SELECT k.id, chat_rollup_zone(k.id) AS zone FROM (SELECT id FROM campaigns UNION ALL SELECT '') k
       WHERE only_campaign IS NULL OR k.id = only_campaign
    ), facts AS (
      SELECT z.id AS campaign, (c.closed_at AT TIME ZONE z.zone)::date AS day, c.typification_code, c.typification_label,
             c.opened_by, c.closed_by, chat_rollup_bucket(GREATEST(c.duration_ms, 0)) AS d_bucket,
             CASE WHEN c.first_answer_ms IS NULL THEN NULL ELSE chat_rollup_bucket(GREATEST(c.first_answer_ms, 0)) END AS a_bucket
        FROM chats c JOIN zones z ON z.id = COALESCE(c.campaign_id, '')
       WHERE c.status = 'closed'
    ), grouped AS (
      SELECT f.campaign, g.dim, g.value, f.day, f.typification_label, f.d_bucket, f.a_bucket
        FROM facts f CROSS JOIN LATERAL (VALUES ('all', ''), ('typification', f.typification_code), ('opener', f.opened_by), ('closer', f.closed_by)) AS g (dim, value)
    )
    SELECT campaign, dim, value, day, 'd' AS metric, d_bucket AS bucket, count(*) AS n, max(typification_label) AS label
      FROM grouped GROUP BY campaign, dim, value, day, d_bucket
    UNION ALL
    SELECT campaign, dim, value, day, 'a', a_bucket, count(*), NULL
      FROM grouped WHERE a_bucket IS NOT NULL GROUP BY campaign, dim, value, day, a_bucket
    ORDER BY campaign, dim, value, day
  LOOP
    IF c_day IS NOT NULL AND (r.campaign, r.dim, r.value, r.day) IS DISTINCT FROM (c_campaign, c_dim, c_value, c_day) THEN
      INSERT INTO chat_rollup VALUES (c_campaign, c_dim, c_value, c_day, CASE WHEN c_dim = 'typification' THEN label END, closed, answered, d_hist, a_hist);
    END IF;
    IF c_day IS NULL OR (r.campaign, r.dim, r.value) IS DISTINCT FROM (c_campaign, c_dim, c_value) THEN
      closed := 0;
      answered := 0;
      label := NULL;
      d_hist := '{0}';
      a_hist := '{0}';
    END IF;
    c_campaign := r.campaign;
    c_dim := r.dim;
    c_value := r.value;
    c_day := r.day;
    IF r.metric = 'd' THEN
      closed := closed + r.n;
      d_hist[r.bucket] := COALESCE(d_hist[r.bucket], 0) + r.n;
      label := COALESCE(r.label, label);
    ELSE
      answered := answered + r.n;
      a_hist[r.bucket] := COALESCE(a_hist[r.bucket], 0) + r.n;
    END IF;
  END LOOP;
  IF c_day IS NOT NULL THEN
    INSERT INTO chat_rollup VALUES (c_campaign, c_dim, c_value, c_day, CASE WHEN c_dim = 'typification' THEN label END, closed, answered, d_hist, a_hist);
  END IF;
END $$;

-- A campaign's days move with its time zone: its rows are built again in the same transaction.
CREATE FUNCTION chat_rollup_zone_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM chat_rollup_rebuild(NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER campaigns_rollup_zone AFTER UPDATE OF time_zone ON campaigns
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION chat_rollup_zone_changed();

-- The configuration's reports.defaultTimeZone, given at start: when it differs from the one the
-- rollup was built with, the campaigns without a zone of their own are built again (one statement,
-- so one transaction). True when it changed.
CREATE FUNCTION chat_rollup_use_default_zone(zone text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  k record;
BEGIN
  UPDATE report_settings SET default_time_zone = zone WHERE default_time_zone <> zone;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  FOR k IN SELECT id FROM campaigns WHERE time_zone IS NULL UNION ALL SELECT '' ORDER BY 1 LOOP
    PERFORM chat_rollup_rebuild(k.id);
  END LOOP;
  RETURN true;
END $$;

-- The chats closed before this migration.
SELECT chat_rollup_rebuild(NULL);
