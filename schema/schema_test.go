package schema_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/schema"
)

// Every migration's Down undoes its Up: from the newest version down to an
// empty database and up again, step by step, without an error.
func TestEveryMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { _ = db.Close() })
	if _, err := schema.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	p := provider(t, db)
	for {
		r, err := p.Down(ctx)
		if err != nil {
			t.Fatalf("down: %v", err)
		}
		if r == nil || r.Source.Version == 1 {
			break
		}
	}
	if _, err := schema.Migrate(ctx, db); err != nil {
		t.Fatalf("up again after rolling back: %v", err)
	}
}

func provider(t *testing.T, db *sql.DB) *goose.Provider {
	t.Helper()
	p, err := goose.NewProvider(goose.DialectPostgres, db, schema.Files(), goose.WithAllowOutofOrder(true))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
