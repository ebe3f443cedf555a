// Package articles is the knowledge-base aggregate's store: the KB articles
// admins edit through /v1/admin/kb and `harbordesk kb import`, kept as
// versions in PostgreSQL (kb_articles holds each article's current version
// and soft delete, kb_article_versions every version's document). While the
// KB table is empty the articles shipped in the binary are served; the first
// write materialises them as version 1 so no article disappears. Every write
// bumps the "kb" content revision, which the worker's reloader polls to swap
// the answer index, and leaves an audit_log row.
//
// It is one of the per-aggregate stores the monolithic internal/store is
// being split into: its methods run on a DB — a pool, a connection or a
// transaction (writes then run in a savepoint) — so a test can run in one
// transaction it rolls back, and a caller can join the KB writes to its own
// transaction. Errors are internal/store's sentinels (store.ErrNotFound,
// store.ErrConflict, store.ErrUnavailable, store.ErrInvalidDocument), and
// the content shared with the lexicon, playbooks and profile (store.Editor,
// the content revisions, the audit log) stays in internal/store.
package articles
