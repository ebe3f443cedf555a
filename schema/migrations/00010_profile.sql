-- Schema v10: the business profile (name, privacy link, order-number
-- format, locales) and every customer-facing text as versioned,
-- admin-editable data. Nothing is seeded: while no version is active the
-- running system uses the profile shipped in the binary
-- (internal/profile/default).

-- +goose Up
-- Imported profiles as validated JSON documents; at most one is active.
-- Versions are numbered by the database and never change.
CREATE TABLE profile_versions (
    version     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document    jsonb NOT NULL,
    author      text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX profile_versions_one_active ON profile_versions (active) WHERE active;

-- The hot reloader watches this counter like the KB, lexicon and playbook ones.
INSERT INTO content_revisions (name) VALUES ('profile');

-- +goose Down
DELETE FROM content_revisions WHERE name = 'profile';
DROP TABLE profile_versions;
