// Package documents is the store of the versioned business-content
// documents admins import and activate: the Cantonese lexicon
// (lexicon_versions, /v1/admin/lexicon and `harbordesk lexicon import`),
// the playbooks (playbook_versions, /v1/admin/playbooks and `harbordesk
// playbooks import`) and the business profile (profile_versions,
// /v1/admin/profile, `harbordesk profile import` and `harbordesk init`).
// Versions are immutable; at most one of each kind is active, and while
// none is the defaults shipped in the binary are in force. Every import or
// activation bumps that kind's content revision ("lexicon", "playbooks",
// "profile"), which the worker's reloader polls to swap what is live, and
// leaves an audit_log row.
//
// It is one of the per-aggregate stores the monolithic internal/store is
// being split into: its methods run on a db.TxDB — a pool, a connection or
// a transaction (writes then run in a savepoint) — so a test can run in one
// transaction it rolls back, and a caller can join the writes to its own
// transaction. Errors are internal/store's sentinels (store.ErrNotFound,
// store.ErrConflict, store.ErrUnavailable, store.ErrInvalidDocument), and
// what the documents share with the KB articles (store.Editor, the content
// revisions, the audit log) stays in internal/store.
package documents
