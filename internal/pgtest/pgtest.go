// Package pgtest gives a test its own PostgreSQL database: created fresh
// (hd_test_<random>), migrated, and dropped WITH (FORCE) when the test ends,
// so tests run in parallel and leave nothing behind. The server is
// postgres://postgres@127.0.0.1:5432 unless PGTEST_URL names another (a URL
// of any database on it, e.g. postgres://u:p@host:5432/postgres); a test
// whose server is unreachable is skipped, saying so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
)

// DefaultURL is the server tests use when PGTEST_URL is empty.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// New returns a store on a fresh, migrated database, closed and dropped at
// the end of the test.
func New(t testing.TB) *store.Store {
	t.Helper()
	dbURL := URL(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close) // runs before URL's drop
	var db string
	if err := st.Pool.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil || db != store.DatabaseName(dbURL) {
		t.Fatalf("connected to %q, want %q (%v)", db, store.DatabaseName(dbURL), err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// URL creates a fresh, empty database and returns its URL; the database is
// dropped at the end of the test (after cleanups registered later, such as
// closing a store on it). Package store's own tests, which New cannot
// serve (it imports store), open it themselves.
func URL(t testing.TB) string {
	t.Helper()
	server := os.Getenv("PGTEST_URL")
	if server == "" {
		server = DefaultURL
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("PGTEST_URL is not a URL: %v", err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Skipf("PostgreSQL for tests not reachable at %s (set PGTEST_URL): %v", u.Redacted(), err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "hd_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close(ctx)
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close(context.Background())
	})
	u.Path = "/" + name
	return u.String()
}
