-- Schema v15: day cells off the hot path.
--
-- v11 added each contact's change straight into its day cell, so every
-- contact received the same day, arm, language and channel — most of them —
-- updated one row: concurrent turns queued on that row's lock until each
-- other's commit (the bench's ratio to bare Temporal fell from ~0.9 to ~0.75).
-- Now a turn only appends its delta (an insert, which locks nothing
-- shared); kpi_compact() folds the deltas into the cells, run every few
-- seconds by the worker (internal/store/kpis.Compactor), and GET /v1/kpis
-- reads cells and not-yet-folded deltas together, so figures are exact at
-- any moment whether or not the compactor has run.

-- +goose Up
CREATE TABLE kpi_cell_deltas (LIKE kpi_day_cells INCLUDING DEFAULTS);
CREATE TABLE kpi_latency_deltas (LIKE kpi_day_latency INCLUDING DEFAULTS);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION kpi_contacts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kpi_cell_deltas (day, arm, language, channel, contacts, bot_first, after_hours,
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
           sla_breaches, scored, score_sum, satisfied) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    INSERT INTO kpi_latency_deltas (day, arm, language, channel, q, answered)
    SELECT * FROM (
        SELECT day, arm, language, channel, first_response_q, sum(sign) AS answered
        FROM (
            SELECT 1 AS sign, * FROM kpi_new WHERE received_at IS NOT NULL AND first_response_q IS NOT NULL
            UNION ALL
            SELECT -1, * FROM kpi_old WHERE received_at IS NOT NULL AND first_response_q IS NOT NULL
        ) d
        GROUP BY 1, 2, 3, 4, 5
    ) delta
    WHERE answered <> 0;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- kpi_compact moves the deltas into the cells and returns how many delta
-- rows it folded. Each delta is deleted exactly once (a concurrent
-- compactor waits on the rows this one deletes, then skips them), and the
-- delete and the cell upsert commit together.
-- +goose StatementBegin
CREATE FUNCTION kpi_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE cells bigint; latency bigint;
BEGIN
    WITH d AS (DELETE FROM kpi_cell_deltas RETURNING *), s AS (
        SELECT day, arm, language, channel, count(*) AS n,
            sum(contacts) AS contacts, sum(bot_first) AS bot_first, sum(after_hours) AS after_hours,
            sum(night_hits) AS night_hits, sum(handed_off) AS handed_off, sum(resolved) AS resolved,
            sum(fcr_hits) AS fcr_hits, sum(reopened) AS reopened, sum(sla_breaches) AS sla_breaches,
            sum(scored) AS scored, sum(score_sum) AS score_sum, sum(satisfied) AS satisfied
        FROM d GROUP BY 1, 2, 3, 4
    ), up AS (
        INSERT INTO kpi_day_cells AS c (day, arm, language, channel, contacts, bot_first, after_hours,
            night_hits, handed_off, resolved, fcr_hits, reopened, sla_breaches, scored, score_sum, satisfied)
        SELECT day, arm, language, channel, contacts, bot_first, after_hours, night_hits, handed_off,
            resolved, fcr_hits, reopened, sla_breaches, scored, score_sum, satisfied
        FROM s ORDER BY 1, 2, 3, 4
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
            satisfied = c.satisfied + EXCLUDED.satisfied
    )
    SELECT COALESCE(sum(n), 0) INTO cells FROM s;

    WITH d AS (DELETE FROM kpi_latency_deltas RETURNING *), s AS (
        SELECT day, arm, language, channel, q, count(*) AS n, sum(answered) AS answered
        FROM d GROUP BY 1, 2, 3, 4, 5
    ), up AS (
        INSERT INTO kpi_day_latency AS l (day, arm, language, channel, q, answered)
        SELECT day, arm, language, channel, q, answered FROM s ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (day, arm, language, channel, q) DO UPDATE SET answered = l.answered + EXCLUDED.answered
    )
    SELECT COALESCE(sum(n), 0) INTO latency FROM s;
    RETURN cells + latency;
END $$;
-- +goose StatementEnd

-- +goose Down
SELECT kpi_compact();
-- v11's function: cells updated in the transaction of the facts.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION kpi_contacts_changed() RETURNS trigger
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
DROP FUNCTION kpi_compact();
DROP TABLE kpi_latency_deltas, kpi_cell_deltas;
