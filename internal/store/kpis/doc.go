// Package kpis is the KPI aggregate's store: it reads the figures of
// GET /v1/kpis out of PostgreSQL, where migration 00011 keeps them folded
// per contact (kpi_contacts) and summed per Hong Kong day and group
// (kpi_day_cells, and kpi_day_latency for the first-response histogram).
// The per-contact row changes in the transaction of the facts; its change to
// the day sums is appended as a delta (migration 00015) that the Compactor
// folds into the day rows every few seconds, so turns never queue on a shared
// day row, and Report reads rows and pending deltas together. It also seeds
// synthetic facts for `harbordesk bench kpis`.
//
// It is the first of the per-aggregate stores the monolithic internal/store
// is being split into: its methods run on a DB — a pool, a connection or a
// transaction — so a test can run in one transaction it rolls back, and a
// caller can join the KPI reads to its own transaction.
package kpis
