// Package kpis is the KPI aggregate's store: it reads the figures of
// GET /v1/kpis out of PostgreSQL, where migration 00011 keeps them folded
// per contact (kpi_contacts) and summed per Hong Kong day and group
// (kpi_day_cells, and kpi_day_latency for the first-response histogram),
// and it seeds synthetic facts for `harbordesk bench kpis`. New facts are
// folded after their turn commits (migration 00015): by the worker's Folder
// every few seconds and by Report before it reads, so a customer turn never
// pays for the rollup and a report never misses a committed fact.
//
// It is the first of the per-aggregate stores the monolithic internal/store
// is being split into: its methods run on a DB — a pool, a connection or a
// transaction — so a test can run in one transaction it rolls back, and a
// caller can join the KPI reads to its own transaction.
package kpis
