-- Schema v11: KPIs aggregated in PostgreSQL, maintained in the same
-- transaction as the facts.
--
--   kpi_events  (facts, written by the store as before)
--     └─ trigger → kpi_contacts   one folded row per contact (internal/kpi's
--                                 fold: first response, resolved, reopened…)
--        └─ trigger → kpi_day_cells    per Hong Kong day, arm, language and
--                                      channel: additive counts
--                     kpi_day_latency  the same, per quantized first
--                                      response: answered contacts
--
-- GET /v1/kpis reads whole days from kpi_day_cells and only the partial days
-- at the window's edges from kpi_contacts, so its cost follows the number of
-- days and groups, not contacts. Counters are integers (a day's cell stays
-- far below 2^31) so their sums are bigint, not numeric.

-- +goose Up

-- kpi_quantize_ms keeps the 5 leading bits of a first-response time: exact
-- below 32 ms, rounded down by less than 6.25% above (kpi.Quantize).
-- +goose StatementBegin
CREATE FUNCTION kpi_quantize_ms(ms bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE s int := 0;
BEGIN
    IF ms < 0 THEN RETURN 0; END IF;
    WHILE (ms >> s) >= 32 LOOP s := s + 1; END LOOP;
    RETURN (ms >> s) << s;
END $$;
-- +goose StatementEnd

CREATE TABLE kpi_contacts (
    contact_id        text PRIMARY KEY,
    received_at       timestamptz,      -- NULL: no received fact (not counted)
    day               date,             -- Hong Kong day of received_at
    arm               text NOT NULL DEFAULT '',
    language          text NOT NULL DEFAULT '',
    channel           text NOT NULL DEFAULT '',
    after_hours       boolean NOT NULL DEFAULT false,
    first_response_ms bigint,           -- NULL: not answered
    first_response_q  bigint,           -- kpi_quantize_ms(first_response_ms)
    bot_first         boolean NOT NULL DEFAULT false,
    handed_off        boolean NOT NULL DEFAULT false,
    resolved          boolean NOT NULL DEFAULT false,
    reopened          boolean NOT NULL DEFAULT false,
    sla_breaches      integer NOT NULL DEFAULT 0,
    score             integer           -- last valid CSAT score (1-5)
);
CREATE INDEX kpi_contacts_received ON kpi_contacts (received_at) WHERE received_at IS NOT NULL;

CREATE TABLE kpi_day_cells (
    day          date    NOT NULL,
    arm          text    NOT NULL,
    language     text    NOT NULL,
    channel      text    NOT NULL,
    contacts     integer NOT NULL DEFAULT 0,
    bot_first    integer NOT NULL DEFAULT 0,
    after_hours  integer NOT NULL DEFAULT 0,
    night_hits   integer NOT NULL DEFAULT 0,
    handed_off   integer NOT NULL DEFAULT 0,
    resolved     integer NOT NULL DEFAULT 0,
    fcr_hits     integer NOT NULL DEFAULT 0,
    reopened     integer NOT NULL DEFAULT 0,
    sla_breaches integer NOT NULL DEFAULT 0,
    scored       integer NOT NULL DEFAULT 0,
    score_sum    integer NOT NULL DEFAULT 0,
    satisfied    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, arm, language, channel)
);

-- The first-response histogram: narrow rows, one sum, so a month of them
-- aggregates fast.
CREATE TABLE kpi_day_latency (
    day      date    NOT NULL,
    arm      text    NOT NULL,
    language text    NOT NULL,
    channel  text    NOT NULL,
    q        bigint  NOT NULL,  -- kpi_quantize_ms(first response)
    answered integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, arm, language, channel, q)
);

-- kpi_fold_contacts recomputes the kpi_contacts rows of the given contacts
-- from all their facts (the same fold as internal/kpi). The upsert first
-- locks each row, so a concurrent transaction folding the same contact waits
-- and then folds with a fresh snapshot that sees the facts just committed.
-- +goose StatementBegin
CREATE FUNCTION kpi_fold_contacts(ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kpi_contacts AS k (contact_id)
    SELECT DISTINCT id FROM unnest(ids) AS u(id) ORDER BY id
    ON CONFLICT (contact_id) DO UPDATE SET contact_id = k.contact_id;

    WITH f AS (
        SELECT e.contact_id,
            min(e.at) FILTER (WHERE e.kind = 'received') AS received_at,
            (array_agg(e.after_hours ORDER BY e.at) FILTER (WHERE e.kind = 'received'))[1] AS after_hours,
            -- the received fact's value, else the first non-empty one in time order
            (array_agg(lower(btrim(e.arm)) ORDER BY e.kind <> 'received', e.at) FILTER (WHERE btrim(e.arm) <> ''))[1] AS arm,
            (array_agg(lower(btrim(e.language)) ORDER BY e.kind <> 'received', e.at) FILTER (WHERE btrim(e.language) <> ''))[1] AS language,
            (array_agg(lower(btrim(e.channel)) ORDER BY e.kind <> 'received', e.at) FILTER (WHERE btrim(e.channel) <> ''))[1] AS channel,
            min(e.at) FILTER (WHERE e.kind IN ('first_reply', 'first_human_reply')) AS first_reply_at,
            (array_agg(e.kind = 'first_reply' AND e.bot ORDER BY e.at) FILTER (WHERE e.kind IN ('first_reply', 'first_human_reply')))[1] AS bot_first,
            bool_or(e.kind = 'handoff') AS handed_off,
            bool_or(e.kind = 'resolved') AS resolved,
            bool_or(e.kind = 'reopened') AS reopened,
            count(*) FILTER (WHERE e.kind = 'sla_breach') AS sla_breaches,
            (array_agg(e.score ORDER BY e.at DESC) FILTER (WHERE e.kind = 'csat' AND e.score BETWEEN 1 AND 5))[1] AS score
        FROM kpi_events e
        WHERE e.contact_id = ANY (ids)
        GROUP BY e.contact_id
    ), g AS (
        SELECT u.id, f.*,
            CASE WHEN f.first_reply_at IS NOT NULL AND f.received_at IS NOT NULL THEN
                GREATEST(0, trunc(EXTRACT(EPOCH FROM (f.first_reply_at - f.received_at)) * 1000))::bigint
            END AS ms
        FROM unnest(ids) AS u(id) LEFT JOIN f ON f.contact_id = u.id
    )
    UPDATE kpi_contacts k SET
        received_at = g.received_at,
        day = (g.received_at AT TIME ZONE 'Asia/Hong_Kong')::date,
        arm = COALESCE(g.arm, 'unknown'),
        language = COALESCE(g.language, 'unknown'),
        channel = COALESCE(g.channel, 'unknown'),
        after_hours = COALESCE(g.after_hours, false),
        first_response_ms = g.ms,
        first_response_q = kpi_quantize_ms(g.ms),
        bot_first = COALESCE(g.bot_first, false),
        handed_off = COALESCE(g.handed_off, false),
        resolved = COALESCE(g.resolved, false),
        reopened = COALESCE(g.reopened, false),
        sla_breaches = COALESCE(g.sla_breaches, 0),
        score = g.score
    FROM g WHERE k.contact_id = g.id;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION kpi_events_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT contact_id) INTO ids FROM new_facts;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT contact_id) INTO ids FROM old_facts;
    ELSE
        SELECT array_agg(DISTINCT id) INTO ids FROM (
            SELECT contact_id FROM new_facts UNION SELECT contact_id FROM old_facts) x(id);
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM kpi_fold_contacts(ids);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER kpi_events_inserted AFTER INSERT ON kpi_events
    REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_events_changed();
CREATE TRIGGER kpi_events_updated AFTER UPDATE ON kpi_events
    REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_events_changed();
CREATE TRIGGER kpi_events_deleted AFTER DELETE ON kpi_events
    REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_events_changed();

-- kpi_contacts_changed adds the contribution of the changed contact rows and
-- subtracts what they contributed before (rows without a received fact count
-- for nothing). kpi_contacts rows are only ever inserted empty and then
-- updated by kpi_fold_contacts, so the UPDATE trigger sees every change.
-- Additive upserts need no lock beyond the cell row's own.
-- +goose StatementBegin
CREATE FUNCTION kpi_contacts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kpi_day_cells AS c (day, arm, language, channel, contacts, bot_first, after_hours,
        night_hits, handed_off, resolved, fcr_hits, reopened, sla_breaches, scored, score_sum, satisfied)
    SELECT * FROM (
        SELECT day, arm, language, channel,
            sum(sign) AS contacts, sum(sign * bot_first::int) AS bot_first, sum(sign * after_hours::int) AS after_hours,
            sum(sign * (after_hours AND first_response_ms IS NOT NULL AND first_response_ms <= 30000)::int) AS night_hits,
            sum(sign * handed_off::int) AS handed_off, sum(sign * resolved::int) AS resolved,
            sum(sign * (resolved AND NOT reopened)::int) AS fcr_hits,
            sum(sign * reopened::int) AS reopened, sum(sign * sla_breaches) AS sla_breaches,
            sum(sign * (score IS NOT NULL)::int) AS scored,
            sum(sign * COALESCE(score, 0)) AS score_sum, sum(sign * COALESCE((score >= 4)::int, 0)) AS satisfied
        FROM (
            SELECT 1 AS sign, * FROM kpi_new WHERE received_at IS NOT NULL
            UNION ALL
            SELECT -1, * FROM kpi_old WHERE received_at IS NOT NULL
        ) d
        GROUP BY 1, 2, 3, 4
    ) delta
    -- an unchanged contact adds and subtracts the same: nothing to write
    WHERE (contacts, bot_first, after_hours, night_hits, handed_off, resolved, fcr_hits, reopened,
           sla_breaches, scored, score_sum, satisfied) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, arm, language, channel) DO UPDATE SET
        contacts = c.contacts + EXCLUDED.contacts,
        bot_first = c.bot_first + EXCLUDED.bot_first,
        after_hours = c.after_hours + EXCLUDED.after_hours,
        night_hits = c.night_hits + EXCLUDED.night_hits,
        handed_off = c.handed_off + EXCLUDED.handed_off,
        resolved = c.resolved + EXCLUDED.resolved,
        fcr_hits = c.fcr_hits + EXCLUDED.fcr_hits,
        reopened = c.reopened + EXCLUDED.reopened,
        sla_breaches = c.sla_breaches + EXCLUDED.sla_breaches,
        scored = c.scored + EXCLUDED.scored,
        score_sum = c.score_sum + EXCLUDED.score_sum,
        satisfied = c.satisfied + EXCLUDED.satisfied;

    INSERT INTO kpi_day_latency AS l (day, arm, language, channel, q, answered)
    SELECT * FROM (
        SELECT day, arm, language, channel, first_response_q, sum(sign) AS answered
        FROM (
            SELECT 1 AS sign, * FROM kpi_new WHERE received_at IS NOT NULL AND first_response_q IS NOT NULL
            UNION ALL
            SELECT -1, * FROM kpi_old WHERE received_at IS NOT NULL AND first_response_q IS NOT NULL
        ) d
        GROUP BY 1, 2, 3, 4, 5
    ) delta
    WHERE answered <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, arm, language, channel, q) DO UPDATE SET answered = l.answered + EXCLUDED.answered;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER kpi_contacts_updated AFTER UPDATE ON kpi_contacts
    REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_contacts_changed();

-- The facts recorded before this version.
SELECT kpi_fold_contacts(array_agg(DISTINCT contact_id)) FROM kpi_events HAVING count(*) > 0;

-- +goose Down
DROP TRIGGER kpi_events_inserted ON kpi_events;
DROP TRIGGER kpi_events_updated ON kpi_events;
DROP TRIGGER kpi_events_deleted ON kpi_events;
DROP TABLE kpi_day_latency, kpi_day_cells, kpi_contacts;
DROP FUNCTION kpi_events_changed(), kpi_contacts_changed(), kpi_fold_contacts(text[]), kpi_quantize_ms(bigint);
