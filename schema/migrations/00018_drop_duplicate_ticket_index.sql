-- Schema v18: v16 indexed tickets by contact_id for the reads by contact,
-- but the UNIQUE (contact_id) constraint of v1 already is that index
-- (tickets_contact_id_key). Every ticket write — an insert and an update to
-- "answered" on each first answer, neither of them HOT because status is
-- indexed — kept both copies up to date.

-- +goose Up
DROP INDEX tickets_contact;

-- +goose Down
CREATE INDEX tickets_contact ON tickets (contact_id);
