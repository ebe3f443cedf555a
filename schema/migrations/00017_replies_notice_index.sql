-- Schema v17: whether a customer has had the privacy notice is read on
-- every turn of a returning customer (any notice reply in any of their
-- contacts). Without an index on the notice replies PostgreSQL hashed the
-- customer's contacts against a scan of every reply — about 1 ms at 4,000
-- replies, growing with the table for ever. The partial index holds one
-- entry per customer's first contact.

-- +goose Up
CREATE INDEX replies_notice ON replies (contact_id) WHERE kind = 'notice';

-- +goose Down
DROP INDEX replies_notice;
