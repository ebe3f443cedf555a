package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// IntakeTx is RecordIntake inside tx, a transaction of the caller's: the
// per-aggregate stores' tests (internal/store/handoffs) record a contact
// through the real intake in the transaction they roll back. Errors are not
// mapped.
func IntakeTx(ctx context.Context, tx pgx.Tx, in Intake) (IntakeOutcome, error) {
	return intakeTx(ctx, tx, in)
}
