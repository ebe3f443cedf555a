package kpis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kpi"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/kpis"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back (river-style), so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// fact inserts a KPI fact as the store's kpiFact does.
type fact struct {
	id, kind, key    string
	at               time.Time
	arm, lang, chanl string
	night, bot       bool
	score            int
}

func insert(t *testing.T, db pgx.Tx, facts ...fact) {
	t.Helper()
	for _, f := range facts {
		if _, err := db.Exec(context.Background(), `
			INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours, bot, score)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING`,
			f.id, f.kind, f.key, f.at, f.arm, f.lang, f.chanl, f.night, f.bot, f.score); err != nil {
			t.Fatal(err)
		}
	}
}

// day0 is a Hong Kong midnight well away from other tests' windows.
var day0 = time.Date(2024, 5, 1, 0, 0, 0, 0, hkcal.HK)

// randomFacts makes n contacts over days days from day0 with every kind of
// fact; onGrid keeps first responses on kpi.Quantize's grid, so the SQL
// figures must equal kpi.Compute's exactly.
func randomFacts(rng *rand.Rand, n, days int, onGrid bool) []fact {
	arms := []string{"ai", "human", "AI", ""}
	langs := []string{"yue", "zh", "en", ""}
	chans := []string{"web", "whatsapp", "DingTalk"}
	var out []fact
	for i := range n {
		id := fmt.Sprintf("t-%d", i)
		at := day0.Add(time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour))))
		arm, lang, ch := arms[rng.IntN(len(arms))], langs[rng.IntN(len(langs))], chans[rng.IntN(len(chans))]
		night := rng.IntN(3) == 0
		out = append(out, fact{id: id, kind: "received", at: at, arm: arm, lang: lang, chanl: ch, night: night})
		if lang == "" && rng.IntN(2) == 0 {
			lang = "yue" // the language only on a later fact, as when the reading came later
		}
		ms := rng.Int64N(120_000)
		if rng.IntN(4) == 0 {
			ms = rng.Int64N(40)
		}
		if onGrid {
			ms = kpi.Quantize(ms)
		}
		switch rng.IntN(5) {
		case 0: // unanswered
		case 1:
			out = append(out, fact{id: id, kind: "first_human_reply", at: at.Add(time.Duration(ms) * time.Millisecond), lang: lang})
		default:
			out = append(out, fact{id: id, kind: "first_reply", at: at.Add(time.Duration(ms) * time.Millisecond), bot: true, lang: lang})
		}
		if rng.IntN(4) == 0 {
			out = append(out, fact{id: id, kind: "handoff", key: "h", at: at.Add(time.Second)})
		}
		if rng.IntN(6) == 0 {
			out = append(out, fact{id: id, kind: "sla_breach", key: "h", at: at.Add(time.Hour)})
		}
		if rng.IntN(3) > 0 {
			out = append(out, fact{id: id, kind: "resolved", key: "r", at: at.Add(2 * time.Hour)})
			if rng.IntN(5) == 0 {
				out = append(out, fact{id: id, kind: "reopened", key: "m2", at: at.Add(3 * time.Hour)})
			}
		}
		if rng.IntN(3) == 0 {
			out = append(out, fact{id: id, kind: "csat", at: at.Add(4 * time.Hour), score: rng.IntN(7)})
		}
	}
	return out
}

// copyFacts writes many facts in one COPY (one trigger run), as bench does.
func copyFacts(t *testing.T, db pgx.Tx, facts []fact) {
	t.Helper()
	rows := make([][]any, len(facts))
	for i, f := range facts {
		rows[i] = []any{f.id, f.kind, f.key, f.at, f.arm, f.lang, f.chanl, f.night, f.bot, f.score}
	}
	if _, err := db.CopyFrom(context.Background(), pgx.Identifier{"kpi_events"},
		[]string{"contact_id", "kind", "key", "at", "arm", "language", "channel", "after_hours", "bot", "score"},
		pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
}

func reportJSON(t *testing.T, r kpi.Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The figures aggregated in PostgreSQL equal the in-memory reference
// (kpi.Compute over the same facts) — counts, quantiles, A/B p-values —
// for windows cut inside days and for every split.
func TestReportEqualsCompute(t *testing.T) {
	db := tx(t)
	copyFacts(t, db, randomFacts(rand.New(rand.NewPCG(1, 2)), 600, 5, true))
	st := kpis.New(db)
	ctx := context.Background()
	windows := [][2]time.Time{
		{day0, day0.AddDate(0, 0, 5)},                                       // whole days only
		{day0.Add(7 * time.Hour), day0.AddDate(0, 0, 4).Add(5 * time.Hour)}, // partial edges
		{day0.Add(90 * time.Minute), day0.Add(20 * time.Hour)},              // inside one day
	}
	for _, w := range windows {
		for _, by := range [][]string{nil, {kpi.ByArm, kpi.ByDay}, {kpi.ByLanguage, kpi.ByHour}} {
			t.Run(fmt.Sprintf("%s-%s-%v", w[0].Format("02T15"), w[1].Format("02T15"), by), func(t *testing.T) {
				events, err := st.Events(ctx, w[0], w[1])
				if err != nil {
					t.Fatal(err)
				}
				want := kpi.Compute(events, by)
				want.Counts.IgnoredEvents = 0 // the SQL path does not count them
				got, err := st.Report(ctx, w[0], w[1], by)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := reportJSON(t, got), reportJSON(t, want); g != w {
					t.Errorf("SQL report differs from Compute\n got %s\nwant %s", g, w)
				}
				if got.Contacts == 0 || got.AB.FirstResponseP50.PValue == nil {
					t.Errorf("window holds no comparable data: %+v", got.Figures)
				}
			})
		}
	}
}

// Off the grid, quantiles are at most 6.25% low and the p-values stay close
// to the exact ones.
func TestReportQuantizedCloseToExact(t *testing.T) {
	db := tx(t)
	copyFacts(t, db, randomFacts(rand.New(rand.NewPCG(3, 4)), 800, 3, false))
	st := kpis.New(db)
	ctx := context.Background()
	from, to := day0, day0.AddDate(0, 0, 3)
	events, err := st.Events(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := kpi.Compute(events, nil)
	got, err := st.Report(ctx, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2]int64{
		"p50": {got.FirstResponse.P50MS, want.FirstResponse.P50MS},
		"p90": {got.FirstResponse.P90MS, want.FirstResponse.P90MS},
	} {
		if g, w := pair[0], pair[1]; g > w || float64(w-g) > 0.0625*float64(w) {
			t.Errorf("%s = %d, exact %d", name, g, w)
		}
	}
	if g, w := *got.AB.FirstResponseP50.PValue, *want.AB.FirstResponseP50.PValue; math.Abs(g-w) > 0.02 {
		t.Errorf("Mann–Whitney p = %v, exact %v", g, w)
	}
	if got.FCR != want.FCR || got.NightCoverage != want.NightCoverage || got.Counts.Answered != want.Counts.Answered {
		t.Errorf("counts differ: got %+v\nwant %+v", got.Figures, want.Figures)
	}
}

// Facts that arrive later (a reply, a resolution, a reopening, a score) move
// the contact between cells; a fact re-keyed to another contact (privacy
// de-identification) moves it whole.
func TestCellsFollowLaterFacts(t *testing.T) {
	db := tx(t)
	st := kpis.New(db)
	ctx := context.Background()
	at := day0.Add(10 * time.Hour)
	from, to := day0, day0.AddDate(0, 0, 1)
	check := func(step string) {
		t.Helper()
		events, err := st.Events(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := kpi.Compute(events, nil)
		want.Counts.IgnoredEvents = 0
		got, err := st.Report(ctx, from, to, nil)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := reportJSON(t, got), reportJSON(t, want); g != w {
			t.Errorf("after %s:\n got %s\nwant %s", step, g, w)
		}
	}
	insert(t, db, fact{id: "a", kind: "received", at: at, arm: "ai", lang: "yue", chanl: "web", night: true})
	check("received")
	insert(t, db, fact{id: "a", kind: "first_reply", at: at.Add(1472 * time.Millisecond), bot: true}) // on the quantization grid
	check("first reply")
	insert(t, db, fact{id: "a", kind: "resolved", key: "idle", at: at.Add(time.Hour)})
	insert(t, db, fact{id: "a", kind: "csat", at: at.Add(2 * time.Hour), score: 5})
	check("resolved and scored")
	insert(t, db, fact{id: "a", kind: "reopened", key: "m2", at: at.Add(3 * time.Hour)})
	check("reopened")
	if _, err := db.Exec(ctx, `UPDATE kpi_events SET contact_id = 'erased-1' WHERE contact_id = 'a'`); err != nil {
		t.Fatal(err)
	}
	check("re-keyed")
	if _, err := db.Exec(ctx, `DELETE FROM kpi_events WHERE contact_id = 'erased-1'`); err != nil {
		t.Fatal(err)
	}
	got, err := st.Report(ctx, from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Contacts != 0 {
		t.Errorf("deleted facts still counted: %+v", got.Figures)
	}
	var cells int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM kpi_day_cells WHERE contacts <> 0) + (SELECT count(*) FROM kpi_day_latency WHERE answered <> 0)`).Scan(&cells); err != nil || cells != 0 {
		t.Errorf("cells left with contacts: %d (%v)", cells, err)
	}
}

// A contact with one arm only: no difference, no p-value; FCR says how many
// are still open.
func TestThinData(t *testing.T) {
	db := tx(t)
	at := day0.Add(10 * time.Hour)
	insert(t, db,
		fact{id: "x", kind: "received", at: at, arm: "ai", lang: "en", chanl: "web"},
		fact{id: "x", kind: "first_reply", at: at.Add(time.Second), bot: true},
		fact{id: "x", kind: "resolved", key: "r", at: at.Add(time.Minute)},
		fact{id: "y", kind: "received", at: at, arm: "ai", lang: "en", chanl: "web"},
	)
	r, err := kpis.New(db).Report(context.Background(), day0, day0.AddDate(0, 0, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.AB.FCR.Diff != nil || r.AB.FCR.PValue != nil || r.AB.FirstResponseP50.PValue != nil || r.AB.FCR.Significant {
		t.Errorf("A/B against an empty human arm: %+v", r.AB)
	}
	if r.FCR.Open != 1 || r.FCR.Total != 1 {
		t.Errorf("FCR = %+v, want 1 resolved and 1 open", r.FCR)
	}
}

func TestQuantizeMatchesSQL(t *testing.T) {
	db := tx(t)
	for _, ms := range []int64{0, 1, 63, 64, 65, 127, 128, 129, 1000, 1023, 1024, 4352, 65535, 1 << 20, 1<<20 + 12345, 3_600_000, 86_400_000} {
		var got int64
		if err := db.QueryRow(context.Background(), `SELECT kpi_quantize_ms($1)`, ms).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := kpi.Quantize(ms); got != want || got > ms || float64(ms-got) > 0.0625*float64(ms) {
			t.Errorf("kpi_quantize_ms(%d) = %d, kpi.Quantize = %d", ms, got, want)
		}
	}
}

func TestSeed(t *testing.T) {
	db := tx(t)
	ctx := context.Background()
	now := time.Now()
	var steps []int
	if err := kpis.Seed(ctx, db, kpis.SeedOptions{Contacts: 1200, Days: 3, Now: now, Batch: 500}, func(n int) { steps = append(steps, n) }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(steps) != "[500 1000 1200]" {
		t.Errorf("progress = %v", steps)
	}
	r, err := kpis.New(db).Report(ctx, now.AddDate(0, 0, -3), now.Add(time.Second), []string{kpi.ByArm, kpi.ByLanguage, kpi.ByChannel})
	if err != nil {
		t.Fatal(err)
	}
	if r.Contacts != 1200 || len(r.ByArm) != 2 || len(r.ByLanguage) != 3 || len(r.ByChannel) != 4 {
		t.Errorf("seeded report: %d contacts, arms %d, languages %d, channels %d", r.Contacts, len(r.ByArm), len(r.ByLanguage), len(r.ByChannel))
	}
	// A database with a contact bench did not make is refused.
	if _, err := db.Exec(ctx, `INSERT INTO kpi_events (contact_id, kind, at) VALUES ('real-1', 'received', now())`); err != nil {
		t.Fatal(err)
	}
	if err := kpis.Seed(ctx, db, kpis.SeedOptions{Contacts: 1}, nil); !errors.Is(err, kpis.ErrNotBenchDatabase) {
		t.Errorf("seeding a real database: %v", err)
	}
}

// A customer turn only marks its contact: the fold happens later, and a
// report folds what is still marked before reading, so it misses nothing.
func TestFactsFoldedAfterTheTurn(t *testing.T) {
	db := tx(t)
	ctx := context.Background()
	at := day0.Add(11 * time.Hour)
	insert(t, db, fact{id: "late", kind: "received", at: at, arm: "ai", lang: "en", chanl: "web"},
		fact{id: "late", kind: "first_reply", at: at.Add(time.Second), bot: true})
	var rows, marks int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM kpi_contacts), (SELECT count(*) FROM kpi_dirty)`).Scan(&rows, &marks); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || marks == 0 {
		t.Fatalf("after the turn: %d rollup rows, %d marks; want 0 rows and a mark", rows, marks)
	}
	r, err := kpis.New(db).Report(ctx, day0, day0.AddDate(0, 0, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Contacts != 1 || r.Counts.Answered != 1 {
		t.Errorf("report before any background fold: %d contacts, %d answered; want 1, 1", r.Contacts, r.Counts.Answered)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM kpi_dirty`).Scan(&marks); err != nil || marks != 0 {
		t.Errorf("%d marks left after the report's fold (%v)", marks, err)
	}
	// facts erased before any fold leave no rollup row behind
	insert(t, db, fact{id: "gone", kind: "received", at: at, arm: "ai", lang: "en", chanl: "web"})
	if _, err := db.Exec(ctx, `DELETE FROM kpi_events WHERE contact_id = 'gone'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM kpi_contacts WHERE contact_id = 'gone'`); err != nil { // as erasure does
		t.Fatal(err)
	}
	if _, err := kpis.New(db).Fold(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM kpi_contacts WHERE contact_id = 'gone'`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("the fold recreated an erased contact's row (%d, %v)", rows, err)
	}
}

// Turns add facts while two folders fold them: every contact is counted
// once, none is lost or doubled.
func TestConcurrentFolds(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	at := day0.Add(12 * time.Hour)
	const writers, each = 4, 25
	stop := make(chan struct{})
	folded := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-stop:
					folded <- nil
					return
				default:
				}
				if _, err := kpis.New(st.Pool).Fold(ctx); err != nil {
					folded <- err
					return
				}
			}
		}()
	}
	written := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range each {
				id := fmt.Sprintf("cf-%d-%d", w, i)
				// two turns' worth of facts, in two transactions
				for _, q := range []string{
					`INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel) VALUES ($1, 'received', '', $2, 'ai', 'en', 'web')`,
					`INSERT INTO kpi_events (contact_id, kind, key, at, bot) VALUES ($1, 'first_reply', '', $2::timestamptz + interval '1 second', true)`,
				} {
					if _, err := st.Pool.Exec(ctx, q, id, at); err != nil {
						written <- err
						return
					}
				}
			}
			written <- nil
		}()
	}
	for range writers {
		if err := <-written; err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	for range 2 {
		if err := <-folded; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := kpis.New(st.Pool).Fold(ctx); err != nil {
		t.Fatal(err)
	}
	var contacts, answered, rows int
	if err := st.Pool.QueryRow(ctx, `SELECT (SELECT COALESCE(sum(contacts), 0) FROM kpi_day_cells),
		(SELECT COALESCE(sum(answered), 0) FROM kpi_day_latency),
		(SELECT count(*) FROM kpi_contacts WHERE first_response_ms = 1000)`).Scan(&contacts, &answered, &rows); err != nil {
		t.Fatal(err)
	}
	if want := writers * each; contacts != want || answered != want || rows != want {
		t.Errorf("cells count %d contacts and %d answered, %d rows with their reply; want %d each", contacts, answered, rows, want)
	}
}
