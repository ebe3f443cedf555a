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
// Notes are this package's whole: written here (AddNote) and read here
// (Notes, NoteView). The contact view (contacts.ContactView) lists a
// contact's notes as NoteViews, read in its one statement, and the privacy
// export reads them with Notes on its own transaction; both import this
// package, which imports internal/store only, so there is no cycle (the
// note view used to live in internal/store while the contact view did).
package workspace
