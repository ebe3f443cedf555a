package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/harbordesk/harbordesk/internal/store"
)

// SharedURL creates one fresh database for a whole test package (call it
// from TestMain or a sync.Once) and returns its URL and the function that
// drops it. Tests on it each run in their own transaction and roll back
// (see internal/store/kpis), which is faster than a database per test.
func SharedURL() (dbURL string, drop func(), err error) {
	server := os.Getenv("PGTEST_URL")
	if server == "" {
		server = DefaultURL
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", nil, fmt.Errorf("PGTEST_URL is not a URL: %w", err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, fmt.Errorf("not reachable at %s (set PGTEST_URL): %w", u.Redacted(), err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "hd_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close(ctx)
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close(context.Background())
	}, nil
}

// OpenMigrated opens a pool on dbURL and applies the migrations.
func OpenMigrated(dbURL string) (*pgxpool.Pool, error) {
	st, err := store.Open(context.Background(), dbURL, false)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		st.Close()
		return nil, err
	}
	return st.Pool, nil
}

// Package is one migrated database for a whole test package, opened at the
// first use; each test takes its own transaction on it (Tx) and rolls back.
// Declare it as a package variable and call Close from TestMain.
type Package struct {
	once sync.Once
	url  string
	pool *pgxpool.Pool
	drop func()
	err  error
}

// Pool returns the package's pool; without PostgreSQL the test skips.
func (p *Package) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	p.once.Do(func() {
		p.url, p.drop, p.err = SharedURL()
		if p.err == nil {
			p.pool, p.err = OpenMigrated(p.url)
		}
	})
	if p.err != nil {
		t.Skipf("PostgreSQL for tests: %v", p.err)
	}
	return p.pool
}

// URL is the package database's URL (after Pool).
func (p *Package) URL() string { return p.url }

// Tx returns a transaction on the package database, rolled back when the
// test ends.
func (p *Package) Tx(t testing.TB) pgx.Tx {
	t.Helper()
	x, err := p.Pool(t).Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Rollback(context.Background()) })
	return x
}

// Run is a test package's TestMain body: run the tests, drop the
// database, exit with the tests' code.
func (p *Package) Run(m *testing.M) {
	code := m.Run()
	p.Close()
	os.Exit(code)
}

// ClosedPool returns a pool on the package database that is already closed,
// so every call fails as with the database down.
func (p *Package) ClosedPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	p.Pool(t)
	closed, err := pgxpool.New(context.Background(), p.url)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	return closed
}

// Close closes the pool and drops the database.
func (p *Package) Close() {
	if p.pool != nil {
		p.pool.Close()
	}
	if p.drop != nil {
		p.drop()
	}
}
