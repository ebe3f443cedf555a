-- Schema v6: benchmark baseline runs are kept for an hour only (pruned as
-- new runs are recorded); the index makes the pruning an index range scan.

-- +goose Up
CREATE INDEX bench_baseline_done_at ON bench_baseline (done_at);

-- +goose Down
DROP INDEX bench_baseline_done_at;
