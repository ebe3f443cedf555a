package worker

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// playbooksAs is the shipped playbook YAML under another version.
func playbooksAs(t *testing.T, version string) []byte {
	t.Helper()
	old := `version: "` + playbook.Default().Version + `"`
	src := string(playbook.DefaultYAML())
	if strings.Count(src, old) != 1 {
		t.Fatalf("%s not found once in the default playbooks", old)
	}
	return []byte(strings.Replace(src, old, `version: "`+version+`"`, 1))
}

func TestReloaderSwapsPlaybooks(t *testing.T) {
	st := pgtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := activities.NewPlaybookLive(playbook.Default())
	var mu sync.Mutex
	var got []string
	r := &Reloader{Store: st, Interval: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnPlaybooks: func(s *playbook.Set) { mu.Lock(); got = append(got, s.Version); mu.Unlock(); live.Store(s) }}
	calls := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }
	seen := func(what string) {
		t.Helper()
		want, err := documents.New(st.Pool).PlaybooksRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, what, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.pbRev == want })
	}
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()

	// An activated import reaches OnPlaybooks exactly once.
	if _, _, err := documents.New(st.Pool).ImportPlaybooks(ctx, playbooksAs(t, "2027.1"), true, opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnPlaybooks(2027.1)", func() bool { return len(calls()) == 1 })
	if live.Load().Version != "2027.1" {
		t.Fatalf("activities see %s", live.Load().Version)
	}

	// A staged import and an identical re-import move the revision only.
	if _, _, err := documents.New(st.Pool).ImportPlaybooks(ctx, playbooksAs(t, "2027.2"), false, opsAmy); err != nil {
		t.Fatal(err)
	}
	seen("staged import")
	if _, _, err := documents.New(st.Pool).ImportPlaybooks(ctx, playbooksAs(t, "2027.1"), true, opsAmy); err != nil {
		t.Fatal(err)
	}
	seen("identical re-import")
	if c := calls(); len(c) != 1 || c[0] != "2027.1" {
		t.Fatalf("OnPlaybooks calls = %v, want [2027.1]", c)
	}

	// Activating the staged version swaps again, once.
	if err := documents.New(st.Pool).ActivatePlaybooks(ctx, "2027.2", opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnPlaybooks(2027.2)", func() bool { return len(calls()) == 2 })
	seen("activation")
	if c := calls(); len(c) != 2 || c[1] != "2027.2" || live.Load().Version != "2027.2" {
		t.Fatalf("OnPlaybooks calls = %v, activities see %s", c, live.Load().Version)
	}
	cancel()
	<-done
}

func TestReloaderPlaybookDefaultsAndFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("untouched database", func(t *testing.T) {
		st := pgtest.New(t)
		calls := 0
		r := &Reloader{Store: st, OnPlaybooks: func(*playbook.Set) { calls++ }}
		if err := r.Check(ctx); err != nil || calls != 0 {
			t.Fatalf("Check: %v, OnPlaybooks calls = %d", err, calls)
		}
	})
	t.Run("nil OnPlaybooks ignores changes", func(t *testing.T) {
		st := pgtest.New(t)
		if _, _, err := documents.New(st.Pool).ImportPlaybooks(ctx, playbooksAs(t, "2027.1"), true, opsAmy); err != nil {
			t.Fatal(err)
		}
		r := &Reloader{Store: st}
		if err := r.Check(ctx); err != nil || r.pbRev != 0 {
			t.Fatalf("Check: %v, revision looked at %d", err, r.pbRev)
		}
	})
	t.Run("database down", func(t *testing.T) {
		st := pgtest.New(t)
		calls := 0
		r := &Reloader{Store: st, OnPlaybooks: func(*playbook.Set) { calls++ }}
		st.Close()
		if err := r.Check(ctx); err == nil || !strings.Contains(err.Error(), "playbooks revision") || calls != 0 {
			t.Fatalf("Check with the database down: %v, calls %d", err, calls)
		}
	})
	t.Run("stored set unreadable", func(t *testing.T) {
		st := pgtest.New(t)
		if _, _, err := documents.New(st.Pool).ImportPlaybooks(ctx, playbooksAs(t, "2027.1"), false, opsAmy); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pool.Exec(ctx, `UPDATE playbook_versions SET document = 'version: [', active = true`); err != nil {
			t.Fatal(err)
		}
		calls := 0
		r := &Reloader{Store: st, OnPlaybooks: func(*playbook.Set) { calls++ }}
		if err := r.Check(ctx); err == nil || !strings.Contains(err.Error(), "active playbooks") || calls != 0 || r.pbRev != 0 {
			t.Fatalf("Check: %v, calls %d, revision %d (want a retry next tick)", err, calls, r.pbRev)
		}
	})
}
