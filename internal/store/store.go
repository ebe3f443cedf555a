// Package store is Harbordesk's PostgreSQL system of record (pgx/v5): it
// creates the database if needed and runs the embedded migrations, and it
// holds what the per-aggregate stores under it share. Every aggregate now
// has its own store, each on a db.TxDB (a pool, a connection or a
// transaction): contacts and their turns, replies and tickets
// (internal/store/contacts), handoffs and escalations (handoffs), the
// agents' macros and notes (workspace), agents (agents), the knowledge base
// (articles), playbooks, lexicon and profile (documents), data-subject
// rights and retention (privacy) and the KPI report (kpis).
//
// What stays here is what is not one aggregate's: opening, migrating and
// pinging the database (Open, Migrate, Ping); the sentinel errors, MapErr
// and InTx, the write path of every store; the audit log (AuditAs,
// AuditLog, Audit), the KPI facts and ticket events that several aggregates
// write in their own transactions (KPIFact, TicketEvent); the reply
// LISTEN/NOTIFY hub (ReplyHub, ReplyChannel), one listening connection per
// API process rather than an aggregate's table; the content revisions and
// their editors (BumpRevision, Revision, AuditTx, Editor) that the
// knowledge-base and documents stores share; the encrypted attachment and
// audio vaults, object stores that the worker, the API and the privacy
// store (export, erasure, retention) all reach; the NewID, RetentionMarker
// and Refused helpers; and the benchmark baseline, a table of the bench
// tool's own. Database errors are mapped to the sentinel errors below once,
// here.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/harbordesk/harbordesk/internal/store/db"
	"github.com/harbordesk/harbordesk/internal/telemetry"
	"github.com/harbordesk/harbordesk/schema"
)

// Sentinel errors callers map to API codes.
var (
	ErrNotFound    = errors.New("not found")
	ErrConflict    = errors.New("conflict")
	ErrUnavailable = errors.New("database unavailable")
	// ErrBadCursor is returned for a list cursor the server did not issue
	// (the contacts store's tickets, the knowledge base's articles).
	ErrBadCursor = fmt.Errorf("bad cursor")
)

// Store wraps the connection pool.
type Store struct {
	Pool *pgxpool.Pool
}

// Open connects to databaseURL. With create set, a missing database is
// created first (as `harbordesk dev` does on a fresh machine).
func Open(ctx context.Context, databaseURL string, create bool) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL")
	}
	if cfg.MaxConns < 16 && !strings.Contains(databaseURL, "pool_max_conns") {
		cfg.MaxConns = 16 // unless the URL sizes the pool itself
	}
	if telemetry.TracingEnabled() {
		cfg.ConnConfig.Tracer = telemetry.PgxTracer{} // a span per statement costs even unexported
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	err = pool.Ping(ctx)
	if err != nil && create && isMissingDatabase(err) {
		pool.Close()
		if err := createDatabase(ctx, cfg.ConnConfig.Config, cfg.ConnConfig.Database); err != nil {
			return nil, err
		}
		if pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
			return nil, err
		}
		err = pool.Ping(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, unreachable(cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return &Store{Pool: pool}, nil
}

func unreachable(host string, port uint16, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("PostgreSQL at %s:%d refused the connection (%s): check DATABASE_URL", host, port, pgErr.Code)
	}
	return fmt.Errorf("cannot reach PostgreSQL at %s:%d: start one (e.g. `pg_ctlcluster 15 main start` or `docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16`) or set DATABASE_URL", host, port)
}

func isMissingDatabase(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "3D000"
}

func createDatabase(ctx context.Context, base pgconn.Config, name string) error {
	admin := base
	admin.Database = "postgres"
	conn, err := pgconn.ConnectConfig(ctx, &admin)
	if err != nil {
		return unreachable(base.Host, base.Port, err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if err := conn.Exec(ctx, "CREATE DATABASE "+ident).Close(); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by a sibling
			return nil
		}
		return fmt.Errorf("create database %s: %w", ident, err)
	}
	return nil
}

// Migrate applies the embedded migrations.
func (s *Store) Migrate(ctx context.Context) (int64, error) {
	db := stdlib.OpenDBFromPool(s.Pool)
	defer db.Close()
	return schema.Migrate(ctx, db)
}

// Close releases the pool.
func (s *Store) Close() { s.Pool.Close() }

// Ping checks the database for readiness.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.Pool.Ping(ctx); err != nil {
		return ErrUnavailable
	}
	return nil
}

// DatabaseName returns the database part of a URL, for messages.
func DatabaseName(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// MapErr maps a pgx error to the sentinel errors above (no rows:
// ErrNotFound, unique violation: ErrConflict, a connection failure safe to
// retry: ErrUnavailable), for the per-aggregate stores under internal/store.
func MapErr(err error) error { return mapErr(err) }

// InTx runs fn in a transaction on d (a savepoint when d is itself a
// transaction) and maps its error with MapErr: the write path of every
// per-aggregate store.
func InTx(ctx context.Context, d db.TxDB, fn func(pgx.Tx) error) error {
	return mapErr(pgx.BeginFunc(ctx, d, fn))
}

// UniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const UniqueViolation = "23505"

func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if pgErr.Code == UniqueViolation {
			return ErrConflict
		}
		return err
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return err
}

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return mapErr(pgx.BeginFunc(ctx, s.Pool, fn))
}
