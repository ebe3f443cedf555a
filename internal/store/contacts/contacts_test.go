package contacts_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/storetest"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// seed records, in x, a customer's web contact as the contact workflow
// does (storetest.SeedContact).
func seed(t testing.TB, x pgx.Tx, customer, tag string, at time.Time, resolve bool) storetest.Contact {
	t.Helper()
	return storetest.SeedContact(t, x, customer, tag, at, resolve)
}
