// Package workspace is the store of the agents' workspace: the macros
// (canned replies supervisors write and agents render, in the macros table,
// each write audited), the internal notes agents leave on a handoff
// (handoff_notes; AddNote, Notes), the search over masked transcripts,
// ticket summaries and notes (Search), and a customer's earlier contacts
// (CustomerHistory). Every text here is already masked by the caller
// (internal/pii).
//
// Like the other per-aggregate stores split out of internal/store, its
// methods run on a db.TxDB — a pool, a connection or a transaction (writes
// then run in a savepoint) — so a test runs in one transaction it rolls
// back. Errors are internal/store's sentinels (store.ErrNotFound,
// store.ErrConflict, store.ErrUnavailable).
//
// A note's view stays in internal/store (store.NoteView, store.NotesOf):
// the contact view (store.Contact) lists a contact's notes in its own
// repeatable-read snapshot and the privacy export in its transaction, and
// internal/store cannot import this package, which builds on it. So notes
// are written here and read, as store.NoteView, by both.
package workspace
