package worker

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

var opsAmy = store.Editor{Identity: "ops-amy", Role: "admin"}

const returnsQuestion = "what is your return policy"

func returnsAnswer(l *kb.Live) string {
	ans, _ := l.Index().Answer(returnsQuestion, "return_policy", "en", "Latn", time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC))
	return ans.Text
}

// eventually polls cond for up to a few seconds (a correctness wait, not a
// timing assertion: the reloader runs every 20 ms here).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not observed", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReloaderSwapsKBAndLexicon(t *testing.T) {
	st := pgtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := kb.NewLive(kb.DefaultArticles())
	if strings.Contains(returnsAnswer(live), "RETURNS-2027") {
		t.Fatal("marker present before any change")
	}
	var mu sync.Mutex
	var got []string
	r := &Reloader{Store: st, KB: live, Interval: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnLexicon: func(l *lexicon.Lexicon) { mu.Lock(); got = append(got, l.Version); mu.Unlock() }}
	before := live.Index()
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()

	rec, err := articles.New(st.Pool).Article(ctx, "returns-policy")
	if err != nil {
		t.Fatal(err)
	}
	a := rec.Article
	v := a.Versions[kb.LocaleEn]
	v.Body = "RETURNS-2027: unopened goods within 14 days. " + v.Body
	a.Versions[kb.LocaleEn] = v
	if _, err := articles.New(st.Pool).UpdateArticle(ctx, a, opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "KB answer with the new text", func() bool { return strings.Contains(returnsAnswer(live), "RETURNS-2027") })
	if live.Index() == before {
		t.Fatal("index was not swapped")
	}

	// A new active lexicon reaches OnLexicon once; a staged one does not.
	next := lexicon.Lexicon{Version: "2027.1", Entries: append(append([]lexicon.Entry{}, lexicon.Default().Entries...),
		lexicon.Entry{Term: "冲服务", Meaning: "test slang", Signals: []string{"anger"}})}
	if _, _, err := documents.New(st.Pool).ImportLexicon(ctx, &next, true, opsAmy); err != nil {
		t.Fatal(err)
	}
	eventually(t, "OnLexicon(2027.1)", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 1 && got[0] == "2027.1" })
	staged := next
	staged.Version = "2027.2"
	if _, _, err := documents.New(st.Pool).ImportLexicon(ctx, &staged, false, opsAmy); err != nil {
		t.Fatal(err)
	}
	want, _ := documents.New(st.Pool).LexiconRevision(ctx)
	eventually(t, "staged import seen", func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.lexRev == want })
	mu.Lock()
	if len(got) != 1 {
		t.Fatalf("staged import triggered a rebuild: %v", got)
	}
	mu.Unlock()

	cancel()
	<-done
}

func TestReloaderLeavesDefaultsAlone(t *testing.T) {
	st := pgtest.New(t)
	live := kb.NewLive(kb.DefaultArticles())
	before := live.Index()
	calls := 0
	r := &Reloader{Store: st, KB: live, OnLexicon: func(*lexicon.Lexicon) { calls++ }}
	if err := r.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if live.Index() != before || calls != 0 {
		t.Fatalf("untouched database: index swapped=%v, OnLexicon calls=%d", live.Index() != before, calls)
	}
}

func TestReloaderKeepsContentWhenDatabaseDown(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	live := kb.NewLive(kb.DefaultArticles())
	r := &Reloader{Store: st, KB: live, OnLexicon: func(*lexicon.Lexicon) {}}
	st.Close()
	before := live.Index()
	if err := r.Check(ctx); err == nil || !strings.Contains(err.Error(), "kb revision") {
		t.Fatalf("Check with the database down: %v", err)
	}
	r.tick(ctx) // logs once, keeps serving
	if !r.failing || live.Index() != before {
		t.Fatal("a failed reload must keep the index in force")
	}
	r.KB = nil
	if err := r.Check(ctx); err == nil || !strings.Contains(err.Error(), "lexicon revision") {
		t.Fatalf("lexicon check with the database down: %v", err)
	}
}
