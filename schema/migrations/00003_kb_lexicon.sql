-- Schema v3: the knowledge base and the Hong Kong slang lexicon as versioned,
-- admin-editable data. Nothing is seeded here: while kb_articles (or
-- lexicon_versions) is empty the running system serves the shipped defaults;
-- the first KB write materialises the defaults as version 1 of each article.

-- +goose Up
CREATE TABLE kb_articles (
    id              text PRIMARY KEY,
    current_version integer NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every version of an article: document is the whole kb.Article as JSON.
CREATE TABLE kb_article_versions (
    article_id text NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    version    integer NOT NULL,
    document   jsonb NOT NULL,
    author     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, version)
);

-- Imported lexicon versions (canonical YAML); at most one is active, and the
-- shipped default is in force while none is.
CREATE TABLE lexicon_versions (
    version     text PRIMARY KEY,
    document    text NOT NULL,
    entries     integer NOT NULL,
    author      text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX lexicon_versions_one_active ON lexicon_versions (active) WHERE active;

-- A counter per content kind, bumped inside every write transaction. The row
-- lock serialises writers, so readers (the hot reloader) see the counter grow
-- in commit order and never miss a change, unlike max(updated_at).
CREATE TABLE content_revisions (
    name     text PRIMARY KEY,
    revision bigint NOT NULL DEFAULT 0
);
INSERT INTO content_revisions (name) VALUES ('kb'), ('lexicon');

-- +goose Down
DROP TABLE content_revisions, lexicon_versions, kb_article_versions, kb_articles;
