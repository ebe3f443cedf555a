package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// Refused reports whether PostgreSQL refused the statement for what it says
// rather than for the state of the server: a data exception (a NUL byte or
// an invalid encoding, 22xxx), an integrity constraint (23xxx), a bad
// statement (42xxx, a bug), an unsupported feature (0Axxx), a cardinality
// violation (21xxx), a program limit (54xxx) or an error raised by a
// trigger (P0xxx). The same call fails the same way every time, so retrying
// cannot help. Connection loss, deadlocks, serialization failures, shutdowns
// and resource shortages are not refusals: they heal.
func Refused(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if len(pe.Code) < 2 {
			return false
		}
		switch pe.Code[:2] {
		case "22", "23", "42", "0A", "21", "54", "P0":
			return true
		}
		return false
	}
	return errors.Is(err, ErrConflict)
}

// SQLState is err's PostgreSQL error code, or "" when err is not from the
// server. The code names the class of failure and carries no data.
func SQLState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
