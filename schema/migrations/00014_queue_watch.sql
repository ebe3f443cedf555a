-- Schema v14: the console's live queue. Any change to a handoff (new,
-- assigned, claimed, transferred, resolved) and any new customer message
-- signals on the channel the API's reply hub already listens to, with the
-- payload 'handoffs'; GET /v1/handoffs?wait=… waiters re-read on it. The
-- notification is sent at commit, whichever process wrote the row.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION harbordesk_queue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('harbordesk_reply', 'handoffs');
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER handoffs_queue_watch AFTER INSERT OR UPDATE OR DELETE ON handoffs
    FOR EACH STATEMENT EXECUTE FUNCTION harbordesk_queue_changed();
CREATE TRIGGER messages_queue_watch AFTER INSERT ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION harbordesk_queue_changed();

-- +goose Down
DROP TRIGGER messages_queue_watch ON messages;
DROP TRIGGER handoffs_queue_watch ON handoffs;
DROP FUNCTION harbordesk_queue_changed();
