// Package privacy is the PDPO aggregate's store: data-subject rights and
// data minimisation over the system of record — access (CustomerExport),
// erasure (CustomerWorkflows, EraseCustomer), consent (RecordConsent), the
// consent-gated training corpus (TrainingExamples) and retention
// (PurgeExpired). Every operation that releases or destroys personal data
// writes its audit entry in the same transaction, and no audit entry holds a
// customer ID in the clear: CustomerSubject pseudonymises it.
//
// Like the other per-aggregate stores split out of internal/store, its
// methods run on a db.TxDB — the pool, or a caller's transaction (writes
// then run in a savepoint; the export's repeatable-read snapshot is the
// caller's transaction's own) — so a test runs in one transaction it rolls
// back. Errors are internal/store's sentinels (store.ErrNotFound,
// store.ErrConflict, store.ErrUnavailable); what the contact views and the
// rest of internal/store share (store.Actor, store.RetentionMarker, the
// audit log) stays there.
package privacy
