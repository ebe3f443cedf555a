// Package schema embeds Harbordesk's versioned PostgreSQL migrations and
// applies them with goose. Migrations run at `harbordesk migrate` and at the
// start of `harbordesk dev`; nothing creates tables ad hoc at start-up.
package schema

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Files returns the migrations, named NNNNN_what.sql.
func Files() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return sub
}

// Migrate applies every pending migration under a PostgreSQL advisory lock
// (so two instances starting together do not race) and returns the version.
func Migrate(ctx context.Context, db *sql.DB) (int64, error) {
	sub := Files()
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return 0, err
	}
	// Wave 2's migrations were numbered per work stream and landed in another
	// order than their numbers; a database migrated in between (a dev data
	// dir) still gets the lower-numbered ones rather than refusing to start.
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate up: %w", err)
	}
	return p.GetDBVersion(ctx)
}
