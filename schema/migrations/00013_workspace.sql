-- Schema v13: the agents' workspace tools — macros (canned replies), internal
-- notes on handoffs, trigram search over masked text, customer attachments.
-- pg_trgm ships with PostgreSQL (contrib, in Debian's postgresql package) and
-- is a trusted extension, so the database owner may create it. Its trigrams
-- cover CJK characters in a UTF-8 database with a UTF-8 ctype; search uses
-- ILIKE, so results are right whatever the index can do for a query.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE macros (
    id         text PRIMARY KEY,
    title      text NOT NULL,
    texts      jsonb NOT NULL,            -- {locale: text}
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX macros_title ON macros (lower(title));

-- Internal notes: agents' words about a handoff, masked, never sent to the customer.
CREATE TABLE handoff_notes (
    id         bigserial PRIMARY KEY,
    handoff_id text NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    contact_id text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    author     text NOT NULL,
    text       text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_notes_contact ON handoff_notes (contact_id, at);

CREATE INDEX messages_text_trgm ON messages USING gin (text gin_trgm_ops);
CREATE INDEX tickets_summary_trgm ON tickets USING gin (summary gin_trgm_ops);
CREATE INDEX handoff_notes_text_trgm ON handoff_notes USING gin (text gin_trgm_ops);

-- Customer attachments (photos, receipts, PDFs): metadata here, the sealed
-- (AES-256-GCM) bytes in attachment_objects, the PostgreSQL object store.
CREATE TABLE attachments (
    id          text PRIMARY KEY,
    contact_id  text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    customer_id text NOT NULL,
    message_id  text NOT NULL DEFAULT '',
    source      text NOT NULL,            -- whatsapp | web
    mime        text NOT NULL,
    size        bigint NOT NULL,
    sha256      text NOT NULL,
    key_id      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contact_id, message_id, source)
);
CREATE INDEX attachments_contact ON attachments (contact_id, created_at);
CREATE INDEX attachments_created ON attachments (created_at);

CREATE TABLE attachment_objects (
    key  text PRIMARY KEY,
    data bytea NOT NULL
);

-- +goose Down
DROP TABLE attachment_objects;
DROP TABLE attachments;
DROP INDEX handoff_notes_text_trgm;
DROP INDEX tickets_summary_trgm;
DROP INDEX messages_text_trgm;
DROP TABLE handoff_notes;
DROP TABLE macros;
