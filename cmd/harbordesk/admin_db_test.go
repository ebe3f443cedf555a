package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// TestContentImportCLI runs `kb import` and `lexicon import` against a fresh
// database named in DATABASE_URL (created by the command, dropped after).
func TestContentImportCLI(t *testing.T) {
	name := "hd_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"+name+"?sslmode=disable")
	t.Setenv("USER", "ops-amy")
	ctx := context.Background()
	st, err := openContentStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		st.Close()
		if admin, err := store.Open(ctx, "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", false); err == nil {
			_, _ = admin.Pool.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close()
		}
	})

	arts := kb.DefaultArticles()[:2]
	changed := arts[1]
	changed.Tags = append(append([]string{}, changed.Tags...), "2027")
	popup := kb.Article{ID: "kowloon-bay-popup", Intent: "business_hours", Topic: "hours",
		Versions: map[string]kb.Version{kb.LocaleEn: {Title: "Pop-up", Body: "Open daily."}}}
	var out bytes.Buffer
	if err := importKBInto(ctx, st, []kb.Article{arts[0], changed, popup}, &out); err != nil {
		t.Fatal(err)
	}
	want := "kb import: 1 created (kowloon-bay-popup), 1 updated (" + changed.ID + "), 1 unchanged"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("kb import printed %q, want %q", out.String(), want)
	}
	hist, err := articles.New(st.Pool).ArticleHistory(ctx, changed.ID)
	if err != nil || len(hist) != 2 || hist[0].Author != "cli:ops-amy" {
		t.Fatalf("history after CLI import: %+v %v", hist, err)
	}
	// Through the command entry point (file → parse → import).
	if err := importKB(ctx, []kb.Article{popup}); err != nil {
		t.Fatal(err)
	}
	bad := popup
	bad.Intent = "gossip"
	if err := importKBInto(ctx, st, []kb.Article{bad}, &out); !errors.Is(err, store.ErrInvalidDocument) {
		t.Fatalf("invalid article: %v", err)
	}

	next := lexicon.Lexicon{Version: "2027.1", Entries: append(append([]lexicon.Entry{}, lexicon.Default().Entries...),
		lexicon.Entry{Term: "冲服务", Meaning: "test slang", Signals: []string{"anger"}})}
	out.Reset()
	if err := importLexiconInto(ctx, st, &next, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "lexicon 2027.1 imported") || !strings.Contains(out.String(), "active") {
		t.Fatalf("lexicon import printed %q", out.String())
	}
	out.Reset()
	if err := importLexicon(ctx, &next); err != nil {
		t.Fatal(err)
	}
	conflicting := next
	conflicting.Entries = lexicon.Default().Entries
	if err := importLexiconInto(ctx, st, &conflicting, &out); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same version, other entries: %v", err)
	}
	if lex, fromDB, err := documents.New(st.Pool).ActiveLexicon(ctx); err != nil || !fromDB || lex.Version != "2027.1" {
		t.Fatalf("active after CLI import: %v %v", fromDB, err)
	}
}

func TestContentImportCLIUnreachable(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	ctx := context.Background()
	if err := importKB(ctx, kb.DefaultArticles()[:1]); err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL") {
		t.Fatalf("kb import with no database: %v", err)
	}
	if err := importLexicon(ctx, lexicon.Default()); err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL") {
		t.Fatalf("lexicon import with no database: %v", err)
	}
}
