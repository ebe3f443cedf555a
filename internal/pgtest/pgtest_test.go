package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
)

func TestNewGivesAPrivateMigratedDatabaseDroppedAfter(t *testing.T) {
	var name string
	t.Run("test", func(t *testing.T) {
		st := New(t)
		ctx := context.Background()
		if err := st.Pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n != 0 {
			t.Errorf("fresh migrated database: audit_log count %d, %v", n, err)
		}
		other := New(t)
		if store.DatabaseName(other.Pool.Config().ConnString()) == name {
			t.Error("two calls gave the same database")
		}
	})
	if name == "" {
		t.Skip("PostgreSQL not reachable")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, DefaultURL)
	if err != nil {
		t.Skip(err)
	}
	defer admin.Close(ctx)
	var n int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil || n != 0 {
		t.Errorf("database %s still exists after the test (%d, %v)", name, n, err)
	}
}

func TestURLSkipsWhenUnreachable(t *testing.T) {
	t.Setenv("PGTEST_URL", "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	var skipped bool
	t.Run("unreachable", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		URL(t)
	})
	if !skipped {
		t.Error("URL did not skip with PostgreSQL unreachable")
	}
}
