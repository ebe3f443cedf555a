package kpis

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// DefaultCompactEvery is how often the worker folds KPI deltas into the day
// rows: often enough that a report reads a handful of delta rows, seldom
// enough to cost nothing under load.
const DefaultCompactEvery = 5 * time.Second

// Compact folds the pending deltas into the day rows (kpi_compact, schema
// v15) and returns how many delta rows it folded. Safe to run from several
// processes at once.
func (s *Store) Compact(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRow(ctx, `SELECT kpi_compact()`).Scan(&n); err != nil {
		return 0, fmt.Errorf("kpi compact: %w", err)
	}
	return n, nil
}

// Compactor runs Compact every Every until its context ends. A failed run
// is logged and retried at the next tick: the deltas wait, and reports stay
// exact meanwhile because they read them too.
type Compactor struct {
	Store *Store
	Every time.Duration
	Log   *slog.Logger
}

// Run compacts until ctx ends.
func (c Compactor) Run(ctx context.Context) {
	every := c.Every
	if every <= 0 {
		every = DefaultCompactEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := c.Store.Compact(ctx); err != nil && ctx.Err() == nil && c.Log != nil {
			c.Log.Warn("kpi compaction failed; retrying at the next tick", "err", err.Error())
		}
	}
}
