package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// openContentStore opens (creating if needed) and migrates the database in
// DATABASE_URL, as `harbordesk migrate` does.
func openContentStore(ctx context.Context) (*store.Store, error) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/harbordesk?sslmode=disable"
	}
	st, err := store.Open(ctx, url, true)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// cliEditor is the author and audit actor of CLI imports.
func cliEditor() store.Editor {
	who := os.Getenv("USER")
	if who == "" {
		who = "unknown"
	}
	return store.Editor{Identity: "cli:" + who, Role: "admin"}
}

// importLexicon stores lex as a new lexicon version and activates it; the
// running workers pick it up within one reload interval.
func importLexicon(ctx context.Context, lex *lexicon.Lexicon) error {
	st, err := openContentStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return importLexiconInto(ctx, st, lex, os.Stdout)
}

func importLexiconInto(ctx context.Context, st *store.Store, lex *lexicon.Lexicon, out io.Writer) error {
	v, created, err := documents.New(st.Pool).ImportLexicon(ctx, lex, true, cliEditor())
	if err != nil {
		return err
	}
	what := "imported"
	if !created {
		what = "already imported (same entries)"
	}
	_, err = fmt.Fprintf(out, "harbordesk: lexicon %s %s, %d entries, active\n", v.Version, what, v.Entries)
	return err
}

// importKB upserts the articles: new ones become version 1, changed ones a
// new version; articles not in the file are left as they are.
func importKB(ctx context.Context, arts []kb.Article) error {
	st, err := openContentStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return importKBInto(ctx, st, arts, os.Stdout)
}

func importKBInto(ctx context.Context, st *store.Store, arts []kb.Article, out io.Writer) error {
	res, err := articles.New(st.Pool).ImportArticles(ctx, arts, cliEditor())
	if err != nil {
		return err
	}
	list := func(ids []string) string {
		if len(ids) == 0 {
			return ""
		}
		return " (" + strings.Join(ids, ", ") + ")"
	}
	_, err = fmt.Fprintf(out, "harbordesk: kb import: %d created%s, %d updated%s, %d unchanged\n",
		len(res.Created), list(res.Created), len(res.Updated), list(res.Updated), len(res.Unchanged))
	return err
}
