package articles_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back (river-style), so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// open returns the package database's pool; a test without PostgreSQL skips.
func open(t testing.TB) *pgxpool.Pool { return testDB.Pool(t) }

var (
	admin1 = store.Editor{Identity: "ops-amy", Role: "admin"}
	admin2 = store.Editor{Identity: "ops-ben", Role: "admin"}
)

func auditCount(t *testing.T, x pgx.Tx, action string) int {
	t.Helper()
	var n int
	if err := x.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func sampleArticle(id, body string) kb.Article {
	return kb.Article{ID: id, Intent: "business_hours", Topic: "hours", Tags: []string{"kowloon-bay"},
		Versions: map[string]kb.Version{
			kb.LocaleEn:      {Title: "Kowloon Bay pop-up", Body: body},
			kb.LocaleYueHant: {Title: "九龍灣期間限定店", Body: "每日10點至8點開"},
		}}
}

func TestKBDefaultsUntilFirstWrite(t *testing.T) {
	x := tx(t)
	st := articles.New(x)
	ctx := context.Background()
	defaults := kb.DefaultArticles()

	arts, fromDB, err := st.Articles(ctx)
	if err != nil || fromDB || len(arts) != len(defaults) {
		t.Fatalf("empty KB: %d articles fromDB=%v err=%v; want the %d defaults", len(arts), fromDB, err, len(defaults))
	}
	if rev, err := st.KBRevision(ctx); err != nil || rev != 0 {
		t.Fatalf("revision before any write = %d, %v", rev, err)
	}
	var n int
	if err := x.QueryRow(ctx, `SELECT count(*) FROM kb_articles`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("migrate must not copy defaults: %d rows, %v", n, err)
	}
	first := defaults[0].ID
	rec, err := st.Article(ctx, first)
	if err != nil || rec.Source != store.SourceDefault || rec.Version != 1 {
		t.Fatalf("default article %s: %+v %v", first, rec, err)
	}
	hist, err := st.ArticleHistory(ctx, first)
	if err != nil || len(hist) != 1 || hist[0].Author != store.DefaultAuthor {
		t.Fatalf("default history: %+v %v", hist, err)
	}
	if _, err := st.ArticleHistory(ctx, "no-such-article"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("history of unknown on empty KB: %v", err)
	}
	page, err := st.ListArticles(ctx, "", 2)
	if err != nil || len(page) != 2 || page[0].Article.ID >= page[1].Article.ID {
		t.Fatalf("first page of defaults: %d %v", len(page), err)
	}
	next, err := st.ListArticles(ctx, page[1].Article.ID, 1)
	if err != nil || len(next) != 1 || next[0].Article.ID <= page[1].Article.ID {
		t.Fatalf("next page of defaults: %d %v", len(next), err)
	}

	// The first write materialises the defaults, so nothing disappears.
	if _, err := st.CreateArticle(ctx, sampleArticle("kowloon-bay-popup", "Open 10:00-20:00 daily."), admin1); err != nil {
		t.Fatal(err)
	}
	arts, fromDB, err = st.Articles(ctx)
	if err != nil || !fromDB || len(arts) != len(defaults)+1 {
		t.Fatalf("after first write: %d articles fromDB=%v err=%v", len(arts), fromDB, err)
	}
	rec, err = st.Article(ctx, first)
	if err != nil || rec.Source != store.SourceDatabase || rec.Version != 1 || rec.Author != store.DefaultAuthor {
		t.Fatalf("seeded default: %+v %v", rec, err)
	}
	if rev, _ := st.KBRevision(ctx); rev != 1 {
		t.Fatalf("revision after one write = %d", rev)
	}
}

func TestArticleLifecycle(t *testing.T) {
	x := tx(t)
	st := articles.New(x)
	ctx := context.Background()
	a := sampleArticle("kowloon-bay-popup", "Open 10:00-20:00 daily.")

	rec, err := st.CreateArticle(ctx, a, admin1)
	if err != nil || rec.Version != 1 || rec.Author != "ops-amy" || rec.UpdatedAt.IsZero() {
		t.Fatalf("create: %+v %v", rec, err)
	}
	if _, err := st.CreateArticle(ctx, a, admin1); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second create: %v", err)
	}
	rev1, _ := st.KBRevision(ctx)

	a.Versions[kb.LocaleEn] = kb.Version{Title: "Kowloon Bay pop-up", Body: "Open 11:00-21:00 daily."}
	rec, err = st.UpdateArticle(ctx, a, admin2)
	if err != nil || rec.Version != 2 || rec.Author != "ops-ben" || rec.Article.Versions[kb.LocaleEn].Body != "Open 11:00-21:00 daily." {
		t.Fatalf("update: %+v %v", rec, err)
	}
	rev2, _ := st.KBRevision(ctx)
	if rev2 <= rev1 {
		t.Fatalf("revision did not grow on update: %d → %d", rev1, rev2)
	}
	// The same document again is not a new version.
	if rec, err = st.UpdateArticle(ctx, a, admin2); err != nil || rec.Version != 2 {
		t.Fatalf("identical update: %+v %v", rec, err)
	}
	hist, err := st.ArticleHistory(ctx, a.ID)
	if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[1].Article.Versions[kb.LocaleEn].Body != "Open 10:00-20:00 daily." {
		t.Fatalf("history: %+v %v", hist, err)
	}

	if err := st.DeleteArticle(ctx, a.ID, admin1); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"get deleted":    func() error { _, err := st.Article(ctx, a.ID); return err }(),
		"update deleted": func() error { _, err := st.UpdateArticle(ctx, a, admin1); return err }(),
		"delete again":   st.DeleteArticle(ctx, a.ID, admin1),
		"update missing": func() error { _, err := st.UpdateArticle(ctx, sampleArticle("nope", "x"), admin1); return err }(),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	arts, _, _ := st.Articles(ctx)
	for _, x := range arts {
		if x.ID == a.ID {
			t.Fatal("deleted article still served")
		}
	}
	if hist, err := st.ArticleHistory(ctx, a.ID); err != nil || len(hist) != 2 {
		t.Fatalf("history survives delete: %d %v", len(hist), err)
	}
	// Creating a deleted ID revives it as the next version.
	if rec, err = st.CreateArticle(ctx, a, admin1); err != nil || rec.Version != 3 || rec.Deleted {
		t.Fatalf("revive: %+v %v", rec, err)
	}
	if n := auditCount(t, x, "kb.article.create"); n != 2 {
		t.Errorf("create audits = %d", n)
	}
	if n := auditCount(t, x, "kb.article.update"); n != 1 {
		t.Errorf("update audits = %d (identical update must not audit)", n)
	}
	if n := auditCount(t, x, "kb.article.delete"); n != 1 {
		t.Errorf("delete audits = %d", n)
	}
}

func TestArticleValidation(t *testing.T) {
	x := tx(t)
	st := articles.New(x)
	ctx := context.Background()
	tests := []struct {
		name string
		edit func(*kb.Article)
		want string
	}{
		{"bad slug", func(a *kb.Article) { a.ID = "Bad ID" }, "lower-case slug"},
		{"unknown intent", func(a *kb.Article) { a.Intent = "gossip" }, "intent"},
		{"no topic", func(a *kb.Article) { a.Topic = " " }, "topic"},
		{"unknown locale", func(a *kb.Article) { a.Versions["fr"] = kb.Version{Title: "t", Body: "b"} }, "unknown locale"},
		{"empty body", func(a *kb.Article) { a.Versions[kb.LocaleEn] = kb.Version{Title: "t"} }, "versions.en.body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleArticle("popup", "b")
			tt.edit(&a)
			for op, err := range map[string]error{
				"create": func() error { _, err := st.CreateArticle(ctx, a, admin1); return err }(),
				"update": func() error { _, err := st.UpdateArticle(ctx, a, admin1); return err }(),
				"import": func() error { _, err := st.ImportArticles(ctx, []kb.Article{a}, admin1); return err }(),
			} {
				if !errors.Is(err, store.ErrInvalidDocument) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v, want ErrInvalidDocument mentioning %q", op, err, tt.want)
				}
			}
		})
	}
	if _, err := st.ImportArticles(ctx, nil, admin1); !errors.Is(err, store.ErrInvalidDocument) {
		t.Errorf("empty import: %v", err)
	}
	if rev, _ := st.KBRevision(ctx); rev != 0 {
		t.Errorf("invalid writes changed the revision to %d", rev)
	}
}

func TestImportArticles(t *testing.T) {
	x := tx(t)
	st := articles.New(x)
	ctx := context.Background()
	defaults := kb.DefaultArticles()
	changed := defaults[1]
	changed.Tags = append(append([]string{}, changed.Tags...), "2027-refresh")
	fresh := sampleArticle("kowloon-bay-popup", "Open daily.")

	res, err := st.ImportArticles(ctx, []kb.Article{defaults[0], changed, fresh}, admin1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 1 || res.Created[0] != fresh.ID || len(res.Updated) != 1 || res.Updated[0] != changed.ID ||
		len(res.Unchanged) != 1 || res.Unchanged[0] != defaults[0].ID {
		t.Fatalf("import result %+v", res)
	}
	rec, err := st.Article(ctx, changed.ID)
	if err != nil || rec.Version != 2 {
		t.Fatalf("updated by import: %+v %v", rec, err)
	}
	res, err = st.ImportArticles(ctx, []kb.Article{changed, fresh}, admin1)
	if err != nil || len(res.Unchanged) != 2 || len(res.Created)+len(res.Updated) != 0 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	if n := auditCount(t, x, "kb.import"); n != 2 {
		t.Errorf("import audits = %d", n)
	}
	// A duplicate ID fails the whole import; nothing is written.
	before, _ := st.KBRevision(ctx)
	if _, err := st.ImportArticles(ctx, []kb.Article{fresh, fresh}, admin1); !errors.Is(err, store.ErrInvalidDocument) {
		t.Fatalf("duplicate import: %v", err)
	}
	if after, _ := st.KBRevision(ctx); after != before {
		t.Fatal("failed import changed the revision")
	}
}

func TestKBUnavailable(t *testing.T) {
	open(t)
	closed, err := pgxpool.New(context.Background(), testDB.URL())
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	st := articles.New(closed)
	ctx := context.Background()
	if _, err := st.KBRevision(ctx); err == nil {
		t.Error("KBRevision on a closed pool succeeded")
	}
	if _, _, err := st.Articles(ctx); err == nil {
		t.Error("Articles on a closed pool succeeded")
	}
	if _, err := st.Article(ctx, "x"); err == nil {
		t.Error("Article on a closed pool succeeded")
	}
	if _, err := st.ArticleHistory(ctx, "x"); err == nil {
		t.Error("ArticleHistory on a closed pool succeeded")
	}
	if _, err := st.CreateArticle(ctx, sampleArticle("x", "b"), admin1); err == nil {
		t.Error("CreateArticle on a closed pool succeeded")
	}
	if err := st.DeleteArticle(ctx, "x", admin1); err == nil {
		t.Error("DeleteArticle on a closed pool succeeded")
	}
}

func BenchmarkKBRevision(b *testing.B) {
	st := articles.New(tx(b))
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.KBRevision(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkArticles(b *testing.B) {
	st := articles.New(tx(b))
	ctx := context.Background()
	if _, err := st.ImportArticles(ctx, []kb.Article{sampleArticle("popup", "b")}, admin1); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := st.Articles(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
