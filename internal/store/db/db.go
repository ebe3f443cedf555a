// Package db is what the per-aggregate stores under internal/store run on:
// a pool, a connection or a transaction, so a caller picks the pool or
// joins its own transaction, and a test runs each case in one transaction
// it rolls back.
package db

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is satisfied by *pgxpool.Pool, *pgx.Conn and pgx.Tx.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error)
}

// TxDB is a DB that can begin a transaction (a nested one, a savepoint, on
// a pgx.Tx).
type TxDB interface {
	DB
	Begin(ctx context.Context) (pgx.Tx, error)
}
