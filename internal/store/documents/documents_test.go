package documents_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// closedStore returns a store on a pool of the package database that is
// already closed, so every call fails as with the database down.
func closedStore(t testing.TB) *documents.Store {
	t.Helper()
	return documents.New(testDB.ClosedPool(t))
}

var (
	admin1 = store.Editor{Identity: "ops-amy", Role: "admin"}
	admin2 = store.Editor{Identity: "ops-ben", Role: "admin"}
)

func auditCount(t *testing.T, x pgx.Tx, action string) int {
	t.Helper()
	var n int
	if err := x.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
