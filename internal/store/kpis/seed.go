package kpis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store/db"
)

// SeedPrefix starts the ID of every contact Seed makes.
const SeedPrefix = "kpibench-"

// ErrNotBenchDatabase is returned by Seed for a database holding contacts
// (or KPI facts) it did not make.
var ErrNotBenchDatabase = errors.New("the database holds contacts `bench kpis` did not make: use an empty database")

// TxDB is a DB that can begin a transaction (a nested one on a pgx.Tx).
type TxDB = db.TxDB

// SeedOptions shape the synthetic facts.
type SeedOptions struct {
	Contacts int
	Days     int       // spread over the last Days days (default 30)
	Now      time.Time // default time.Now()
	Seed     uint64    // random seed (default 1)
	Batch    int       // contacts per COPY (default 50,000)
	// Vacuum runs VACUUM ANALYZE on the KPI tables afterwards, as after any
	// bulk load (not possible inside a transaction).
	Vacuum bool
}

// Seed writes synthetic KPI facts of opts.Contacts contacts with COPY, in
// batches (one transaction each; the triggers of migration 00011 fold every
// batch). Every arm, language and channel appears. progress is called after
// each batch with the contacts written so far.
func Seed(ctx context.Context, db TxDB, opts SeedOptions, progress func(done int)) error {
	if opts.Days <= 0 {
		opts.Days = 30
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Batch <= 0 {
		opts.Batch = 50_000
	}
	var foreign bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contacts)
		OR EXISTS (SELECT 1 FROM kpi_events WHERE contact_id NOT LIKE $1)`, SeedPrefix+"%").Scan(&foreign); err != nil {
		return fmt.Errorf("bench kpis: %w", err)
	}
	if foreign {
		return ErrNotBenchDatabase
	}
	run := strconv.FormatInt(opts.Now.UnixNano(), 36)
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6b7069))
	span := time.Duration(opts.Days) * 24 * time.Hour
	for done := 0; done < opts.Contacts; {
		n := min(opts.Batch, opts.Contacts-done)
		var rows [][]any
		for i := done; i < done+n; i++ {
			rows = append(rows, synthetic(rng, SeedPrefix+run+"-"+strconv.Itoa(i), opts.Now.Add(-time.Duration(rng.Int64N(int64(span)))))...)
		}
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"kpi_events"},
				[]string{"contact_id", "kind", "key", "at", "arm", "language", "channel", "after_hours", "bot", "score"},
				pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return fmt.Errorf("bench kpis: %w", err)
		}
		// fold the batch now, as the worker would, so the million contacts
		// are not all left for the first report
		if _, err := New(db).Fold(ctx); err != nil {
			return fmt.Errorf("bench kpis: %w", err)
		}
		done += n
		if progress != nil {
			progress(done)
		}
	}
	if opts.Vacuum {
		for _, q := range []string{`VACUUM (ANALYZE) kpi_day_cells, kpi_day_latency, kpi_contacts`, `ANALYZE kpi_events`} {
			if _, err := db.Exec(ctx, q); err != nil {
				return fmt.Errorf("bench kpis: %w", err)
			}
		}
	}
	return nil
}

var (
	arms      = []string{"ai", "ai", "ai", "human"} // the default canary keeps most contacts on ai
	languages = []string{"yue", "yue", "zh", "en"}
	channels  = []string{"web", "whatsapp", "whatsapp", "dingtalk", "voice"}
)

// synthetic is one contact's facts: received, a first reply (the bot's
// within seconds on the ai arm, a human's within minutes otherwise), and
// some of handoff, SLA breach, resolution, reopening and a CSAT score.
func synthetic(rng *rand.Rand, id string, at time.Time) [][]any {
	arm := arms[rng.IntN(len(arms))]
	lang := languages[rng.IntN(len(languages))]
	ch := channels[rng.IntN(len(channels))]
	hour := at.UTC().Add(8 * time.Hour).Hour()
	night := hour < 9 || hour >= 19
	fact := func(kind, key string, t time.Time, bot bool, score int) []any {
		return []any{id, kind, key, t, arm, lang, ch, night, bot, score}
	}
	out := [][]any{fact("received", "", at, false, 0)}
	ms := func(lo, hi int64) time.Duration { return time.Duration(lo+rng.Int64N(hi-lo)) * time.Millisecond }
	human := arm == "human" || rng.IntN(10) == 0 // some ai contacts go straight to a person
	t := at
	switch {
	case rng.IntN(50) == 0: // never answered
	case human:
		t = at.Add(ms(15_000, 45*60_000))
		out = append(out, fact("first_human_reply", "", t, false, 0))
	default:
		t = at.Add(ms(300, 6_000))
		out = append(out, fact("first_reply", "", t, true, 0))
	}
	if human || rng.IntN(5) == 0 {
		out = append(out, fact("handoff", "h1", at.Add(time.Second), false, 0))
		if rng.IntN(8) == 0 {
			out = append(out, fact("sla_breach", "h1", at.Add(30*time.Minute), false, 0))
		}
	}
	if rng.IntN(10) < 8 {
		t = t.Add(ms(10_000, 3_600_000))
		out = append(out, fact("resolved", "r1", t, !human, 0))
		if rng.IntN(10) == 0 {
			out = append(out, fact("reopened", "m2", t.Add(time.Hour), false, 0))
		}
		if rng.IntN(3) == 0 {
			out = append(out, fact("csat", "", t.Add(time.Minute), false, 1+rng.IntN(5)))
		}
	}
	return out
}
