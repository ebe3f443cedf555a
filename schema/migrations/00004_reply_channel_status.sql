-- Schema v4: what the channel itself reports about a reply after accepting
-- it (WhatsApp status webhooks: sent, delivered, read, failed), kept apart
-- from delivery_state so a failure reported after the Graph API accepted the
-- message can still be told from one reported after the customer got it.

-- +goose Up
ALTER TABLE replies
    ADD COLUMN channel_status    text NOT NULL DEFAULT '',
    ADD COLUMN channel_status_at timestamptz;

-- Status webhooks without our callback data are matched by the channel's
-- message id.
CREATE INDEX replies_delivery_ref ON replies (delivery_ref);

-- +goose Down
DROP INDEX replies_delivery_ref;
ALTER TABLE replies DROP COLUMN channel_status_at, DROP COLUMN channel_status;
