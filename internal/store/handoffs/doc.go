// Package handoffs is the handoffs aggregate's store: the handoff tasks a
// contact's workflow opens for a person (handoffs), their life in the
// agents' queue — routing to an eligible agent (AssignHandoff,
// UnassignHandoff, and the workflows that routing must wake:
// WorkflowsAssignedTo, WorkflowsWaiting), claim, release, reopening after an
// agent's silence, transfer and resolution — and their SLA escalations
// (escalations, RecordEscalation, MarkNotified), with the queue and
// escalation views the API and the desk read (HandoffView, EscalationView).
// Each change moves the contact's ticket and contact state along with the
// handoff and writes its audit entry, KPI fact and ticket event in the same
// transaction, through the helpers internal/store shares with every
// aggregate (store.AuditLog, store.KPIFact, store.TicketEvent).
//
// Like the other per-aggregate stores split out of internal/store, its
// methods run on a db.TxDB — a pool, a connection or a transaction (writes
// then run in a savepoint) — so a test runs in one transaction it rolls
// back and a caller can join its own transaction. Errors are
// internal/store's sentinels (store.ErrNotFound, store.ErrConflict,
// store.ErrUnavailable).
//
// A customer turn that decides a handoff records it in the turn's own
// transaction: the contacts store's RecordTurn (internal/store/contacts)
// calls OpenTx, this package's opener, on the turn's pgx.Tx. The
// dependency points one way — contacts on handoffs, handoffs on
// internal/store, never back — so the handoff-opening SQL lives here only,
// next to the rest of the handoff's life. What belongs to the contact stays
// in the contacts store: closing a contact the bot settled (CloseIdle) and
// the contact view's reference to its latest handoff (contacts.HandoffRef).
package handoffs
