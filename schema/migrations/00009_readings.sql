-- Schema v9: which engine read each message, the per-message reading, and
-- agents' corrections of readings (issue 13 items 5 and 6).

-- +goose Up
-- read_by: 'offline' (internal/nlu) or 'llm' (HARBORDESK_LLM_URL); '' for
-- messages stored before v9. intent/negative: that message's own reading
-- (contacts keep the latest reading of the conversation).
ALTER TABLE messages
    ADD COLUMN read_by  text NOT NULL DEFAULT '',
    ADD COLUMN intent   text NOT NULL DEFAULT '',
    ADD COLUMN negative boolean;
ALTER TABLE contacts ADD COLUMN read_by text NOT NULL DEFAULT '';

-- An agent's relabelling of one customer message. The latest correction
-- wins; it holds labels and who set them, never text. The training export
-- labels a consenting customer's message with its correction when there is one.
CREATE TABLE reading_corrections (
    contact_id     text NOT NULL,
    message_id     text NOT NULL,
    intent         text NOT NULL,
    negative       boolean NOT NULL,
    prior_intent   text NOT NULL DEFAULT '',
    prior_negative boolean,
    agent          text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contact_id, message_id),
    FOREIGN KEY (contact_id, message_id) REFERENCES messages (contact_id, message_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE reading_corrections;
ALTER TABLE contacts DROP COLUMN read_by;
ALTER TABLE messages DROP COLUMN read_by, DROP COLUMN intent, DROP COLUMN negative;
