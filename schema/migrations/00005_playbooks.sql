-- Schema v5: the per-intent playbooks as versioned, admin-editable data.
-- Nothing is seeded: while no version is active the running system uses
-- the playbooks shipped in the binary (internal/playbook/default).

-- +goose Up
-- Imported playbook sets as the YAML the admin sent (comments kept); at most
-- one is active. Versions are immutable: a changed set is a new version.
CREATE TABLE playbook_versions (
    version     text PRIMARY KEY,
    document    text NOT NULL,
    author      text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX playbook_versions_one_active ON playbook_versions (active) WHERE active;

-- The hot reloader watches this counter like the KB and lexicon ones.
INSERT INTO content_revisions (name) VALUES ('playbooks');

-- +goose Down
DELETE FROM content_revisions WHERE name = 'playbooks';
DROP TABLE playbook_versions;
