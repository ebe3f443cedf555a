// Package contacts is the contacts aggregate's store: a customer's contact
// and what its turns produce. It records a contact at intake (EnsureContact,
// ContactRef), each customer message with its reading, the contact's ticket,
// its KPI facts and the privacy notice owed (RecordIntake), the replies and
// their delivery (RecordReply, MarkDelivered, MarkUndeliverable, and the
// channel's status reports, RecordDeliveryStatus), a whole customer turn in
// one transaction (RecordTurn), an agent's relabelling of a message's
// reading (RecordCorrection) and the closing of a contact the bot settled
// (CloseIdle); and it serves the contact view (Contact: one statement,
// one snapshot, its parts as JSON) and the ticket list (Tickets, Ticket).
//
// Like the other per-aggregate stores split out of internal/store, its
// methods run on a db.TxDB — a pool, a connection or a transaction (writes
// then run in a savepoint) — so a test runs in one transaction it rolls
// back and a caller can join its own transaction (IntakeTx is the intake
// inside a caller's pgx.Tx, for other aggregates' tests). Errors are
// internal/store's sentinels (store.ErrNotFound, store.ErrConflict,
// store.ErrUnavailable, store.ErrBadCursor).
//
// A turn that decides a handoff opens it in the turn's own transaction by
// calling handoffs.OpenTx: this package imports internal/store/handoffs,
// which imports internal/store and never this package, so the dependency
// runs contacts → handoffs → store with no cycle (internal/store used to
// take the opener as an injected store.HandoffOpener for that reason). The
// contact view keeps its own reference to the latest handoff (HandoffRef)
// and reads the handoff and notes tables in its one statement, the notes
// as internal/store/workspace's NoteView (workspace imports only
// internal/store). The privacy
// export (internal/store/privacy) builds its contacts from this package's
// view types (ContactView, MessageView, ReplyView, TicketView via
// ScanTicket and TicketCols).
//
// What every aggregate shares stays in internal/store: Open, Migrate and
// Ping, InTx and MapErr with the sentinels, the audit log (AuditAs,
// AuditLog), the KPI-fact and ticket-event writers (KPIFact, TicketEvent;
// handoffs writes them too), and the reply NOTIFY channel (ReplyChannel)
// whose listener, ReplyHub, belongs to the server process, not to an
// aggregate.
package contacts
