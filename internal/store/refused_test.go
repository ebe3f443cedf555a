package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestRefused(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "22021"}, true}, // NUL byte / invalid encoding
		{&pgconn.PgError{Code: "22P05"}, true},
		{&pgconn.PgError{Code: "23514"}, true}, // check constraint
		{&pgconn.PgError{Code: "23502"}, true}, // not null
		{fmt.Errorf("record turn: %w", &pgconn.PgError{Code: "42703"}), true},
		{ErrConflict, true},
		{&pgconn.PgError{Code: "40001"}, false}, // serialization failure
		{&pgconn.PgError{Code: "40P01"}, false}, // deadlock
		{&pgconn.PgError{Code: "57P01"}, false}, // admin shutdown (failover)
		{&pgconn.PgError{Code: "08006"}, false},
		{&pgconn.PgError{Code: "53300"}, false}, // too many connections
		{fmt.Errorf("%w: conn closed", ErrUnavailable), false},
		{context.DeadlineExceeded, false},
		{errors.New("something else"), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := Refused(c.err); got != c.want {
			t.Errorf("Refused(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
