-- Schema v16: a customer message signals the console's queue only when it
-- changes the queue — when its contact has a handoff that is not resolved.
-- v14 signalled on every message, so each bot-answered turn took
-- PostgreSQL's notification lock at commit and woke every queue waiter for
-- a list that had not changed.

--
-- It also indexes what is read by contact, handoff or ticket and had no
-- index: the trigger, the contact view and every turn that moves a ticket
-- (UPDATE tickets … WHERE contact_id) scanned the whole table — unnoticed
-- at a few thousand contacts, a turn-stopper at a million — and deleting a
-- contact (erasure, retention) scanned escalations and ticket events for
-- its cascade.

-- +goose Up
CREATE INDEX handoffs_contact ON handoffs (contact_id, created_at);
CREATE INDEX tickets_contact ON tickets (contact_id);
CREATE INDEX escalations_contact ON escalations (contact_id);
CREATE INDEX escalations_handoff ON escalations (handoff_id);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

-- +goose StatementBegin
CREATE FUNCTION harbordesk_handed_off_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_messages m JOIN handoffs h ON h.contact_id = m.contact_id
               WHERE h.state <> 'resolved') THEN
        PERFORM pg_notify('harbordesk_reply', 'handoffs');
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP TRIGGER messages_queue_watch ON messages;
CREATE TRIGGER messages_queue_watch AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages
    FOR EACH STATEMENT EXECUTE FUNCTION harbordesk_handed_off_message();

-- +goose Down
DROP TRIGGER messages_queue_watch ON messages;
CREATE TRIGGER messages_queue_watch AFTER INSERT ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION harbordesk_queue_changed();
DROP FUNCTION harbordesk_handed_off_message();
DROP INDEX ticket_events_ticket, escalations_handoff, escalations_contact, tickets_contact, handoffs_contact;
