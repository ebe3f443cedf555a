package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"

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
