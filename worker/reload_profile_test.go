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
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// profileNamed is the shipped profile under another business name.
func profileNamed(t *testing.T, name string) []byte {
	t.Helper()
	src := string(profile.DefaultYAML())
	if strings.Count(src, "name: Harbour Home & Tech") != 1 {
		t.Fatal("business name not found once in the default profile")
	}
	return []byte(strings.Replace(src, "name: Harbour Home & Tech", "name: "+name, 1))
}

func TestReloaderSwapsProfile(t *testing.T) {
	st := pgtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := activities.NewProfileLive(nil)
	var mu sync.Mutex
	var got []string
	r := &Reloader{Store: st, Interval: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnProfile: func(p *profile.Profile) { mu.Lock(); got = append(got, p.Name()); mu.Unlock(); live.Store(p) }}
	calls := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()

	if live.Load().Name() != "Harbour Home & Tech" {
		t.Fatalf("before any import the shipped profile serves, got %s", live.Load().Name())
	}
	v1, err := documents.New(st.Pool).ImportProfile(ctx, profileNamed(t, "Kowloon Dental Clinic"), true, opsAmy)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnProfile(clinic)", func() bool { return len(calls()) == 1 })
	if !strings.Contains(live.Load().Text(profile.PrivacyNotice, "en", nil), "Kowloon Dental Clinic") {
		t.Fatal("activities do not speak for the clinic")
	}

	// A staged import moves the revision only.
	v2, err := documents.New(st.Pool).ImportProfile(ctx, profileNamed(t, "Tsuen Wan Bakery"), false, opsAmy)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := documents.New(st.Pool).ProfileRevision(ctx)
	eventually(t, "staged revision seen", func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.prRev == want })
	if n := len(calls()); n != 1 {
		t.Fatalf("staged import reached OnProfile: %v", calls())
	}
	// Activation, then roll-back.
	if err := documents.New(st.Pool).ActivateProfile(ctx, v2.Version, opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnProfile(bakery)", func() bool { return len(calls()) == 2 })
	if err := documents.New(st.Pool).ActivateProfile(ctx, v1.Version, opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnProfile(clinic again)", func() bool { return len(calls()) == 3 })
	if c := calls(); c[1] != "Tsuen Wan Bakery" || c[2] != "Kowloon Dental Clinic" || live.Load().Name() != "Kowloon Dental Clinic" {
		t.Fatalf("OnProfile calls %v", c)
	}
	cancel()
	<-done
}
