package kpis

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// DefaultFoldEvery is how often the worker folds new KPI facts: often
// enough that a report has little left to fold, seldom enough to cost
// nothing under load.
const DefaultFoldEvery = 5 * time.Second

// Fold folds the contacts whose facts changed since the last fold into
// their per-contact rows and the day sums (kpi_fold_dirty, schema v15) and
// returns how many contacts it folded. Safe to run from several processes at
// once.
func (s *Store) Fold(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT kpi_fold_dirty()`).Scan(&n); err != nil {
		return 0, fmt.Errorf("kpi fold: %w", err)
	}
	return n, nil
}

// Folder runs Fold every Every until its context ends, so the fold a
// report does first stays small. A failed run is logged and retried at the
// next tick: the marks wait, and reports still fold them.
type Folder struct {
	Store *Store
	Every time.Duration
	Log   *slog.Logger
}

// Run folds until ctx ends.
func (f Folder) Run(ctx context.Context) {
	every := f.Every
	if every <= 0 {
		every = DefaultFoldEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := f.Store.Fold(ctx); err != nil && ctx.Err() == nil && f.Log != nil {
			f.Log.Warn("kpi fold failed; retrying at the next tick", "err", err.Error())
		}
	}
}
