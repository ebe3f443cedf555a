-- Schema v15: new KPI facts are folded after the turn, not inside it.
--
-- v11 folded a contact's facts (kpi_fold_contacts: re-aggregate the
-- contact's facts, rewrite its kpi_contacts row, move its day cell) in the
-- statement that inserted them: about 1.3 ms of PostgreSQL time per fact,
-- two or three facts per customer turn, and every turn of the day updating
-- the same day-cell row, so concurrent turns queued on its lock. Now an
-- inserted fact only marks its contact dirty (kpi_dirty, an append-only
-- queue); kpi_fold_dirty() folds the marked contacts in one set-based pass.
-- The worker runs it every few seconds (internal/store/kpis.Folder) and
-- GET /v1/kpis runs it before reading, so a report always includes every
-- fact committed before it. Re-keying and deleting facts (privacy) still
-- fold at once: the erased contact's contribution leaves the day cells in
-- the erasure's own transaction.

-- +goose Up
CREATE TABLE kpi_dirty (contact_id text NOT NULL);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION kpi_events_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO kpi_dirty (contact_id) SELECT DISTINCT contact_id FROM new_facts;
        RETURN NULL;
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

-- kpi_fold_dirty folds the contacts marked since the last fold and returns
-- how many it folded. Each mark is taken once: a concurrent fold waits on
-- the marks this one deletes, then skips them; two folds of one contact
-- serialize on its kpi_contacts row (kpi_fold_contacts). A contact whose
-- facts were erased meanwhile has nothing left to fold and gets no row.
-- +goose StatementBegin
CREATE FUNCTION kpi_fold_dirty() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE ids text[];
BEGIN
    WITH d AS (DELETE FROM kpi_dirty RETURNING contact_id)
    SELECT array_agg(DISTINCT d.contact_id) INTO ids FROM d
    WHERE EXISTS (SELECT 1 FROM kpi_events e WHERE e.contact_id = d.contact_id);
    IF ids IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM kpi_fold_contacts(ids);
    RETURN cardinality(ids);
END $$;
-- +goose StatementEnd

-- +goose Down
SELECT kpi_fold_dirty();
-- v11's trigger function: every change folded at once.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION kpi_events_changed() RETURNS trigger
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
DROP FUNCTION kpi_fold_dirty();
DROP TABLE kpi_dirty;
