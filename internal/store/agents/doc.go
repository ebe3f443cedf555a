// Package agents is the agents aggregate's store: the accounts of the
// people who take handoffs (login, name, role, languages, how many handoffs
// they may hold, a password hash or none for SSO-only), their sign-in
// sessions (the hash of each token, how it was issued, when it expires or
// was revoked) and their presence (online, away or offline), in the agents
// and agent_sessions tables. Routing handoffs to agents is the handoffs
// aggregate's (internal/store/handoffs).
//
// Like the other per-aggregate stores split out of internal/store, its
// methods run on a db.DB — a pool, a connection or a transaction (one that
// can begin a nested transaction: UpdateAgent needs one) — so a test runs
// in one transaction it rolls back and a caller can join its own
// transaction. Errors are internal/store's sentinels (store.ErrNotFound,
// store.ErrConflict, store.ErrUnavailable).
package agents
