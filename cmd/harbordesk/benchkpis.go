package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/harbordesk/harbordesk/internal/store/kpis"
)

// runBenchKPIs is `harbordesk bench kpis --contacts N [--days 30]`: it seeds
// synthetic KPI facts into DATABASE_URL (migrated first), prints progress
// on stderr and {"seeded":N,"seconds":S} on stdout.
func runBenchKPIs(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench kpis", flag.ContinueOnError)
	n := fs.Int("contacts", 100_000, "synthetic contacts to seed")
	days := fs.Int("days", 30, "spread them over the last this many days")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *n <= 0 || *days <= 0 || fs.NArg() > 0 {
		return usageError("bench kpis needs --contacts N > 0 and --days D > 0")
	}
	st, err := openContentStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	conn, err := st.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	start := time.Now()
	err = kpis.Seed(ctx, conn.Conn(), kpis.SeedOptions{Contacts: *n, Days: *days, Seed: *seed, Vacuum: true}, func(done int) {
		fmt.Fprintf(os.Stderr, "bench kpis: %d/%d contacts (%.0f/s)\n", done, *n, float64(done)/time.Since(start).Seconds())
	})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(struct {
		Seeded  int     `json:"seeded"`
		Seconds float64 `json:"seconds"`
	}{*n, float64(time.Since(start).Round(time.Millisecond).Seconds())})
}
