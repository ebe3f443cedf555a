package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// BaselineKeep is how long a benchmark baseline run stays readable; older
// runs are deleted as new ones are recorded.
const BaselineKeep = time.Hour

// RecordBaseline marks a benchmark baseline run as answered and prunes the
// runs older than BaselineKeep.
func (s *Store) RecordBaseline(ctx context.Context, id string, received, done time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO bench_baseline (id, received_at, done_at) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, id, received, done); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM bench_baseline WHERE done_at < $1`, done.Add(-BaselineKeep)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ReplyChannel, "baseline/"+id)
		return err
	})
}

// Baseline reads a baseline run; ok=false while it has not finished.
func (s *Store) Baseline(ctx context.Context, id string) (received, done time.Time, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT received_at, done_at FROM bench_baseline WHERE id = $1`, id).Scan(&received, &done)
	if err != nil {
		if mapErr(err) == ErrNotFound {
			return received, done, false, nil
		}
		return received, done, false, mapErr(err)
	}
	return received, done, true, nil
}
