package contacts_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
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

// Concurrent deliveries of a contact's first message (a channel retrying
// a webhook) all get the one contact: the losers of the insert race see the
// winner's row, never a conflict. Committed on the package database (the
// race needs transactions of their own), deleted at the end.
func TestEnsureContactConcurrent(t *testing.T) {
	pool := testDB.Pool(t)
	st := contacts.New(pool)
	t.Cleanup(func() { _, _ = pool.Exec(context.Background(), `DELETE FROM contacts WHERE id LIKE 'ct_ensure_race%'`) })
	for round := range 20 {
		id := fmt.Sprintf("ct_ensure_race%d", round)
		c := contacts.NewContact{ID: id, WorkflowID: "contact/whatsapp/" + id, Channel: "whatsapp", ConversationID: id,
			CustomerID: "c-" + id, Arm: "ai", ReceivedAt: time.Now()}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		ids := make([]string, 4)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ids[i], _, errs[i] = st.EnsureContact(context.Background(), c)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil || ids[i] != id {
				t.Fatalf("round %d, delivery %d: %q, %v; want %q and no error", round, i, ids[i], err, id)
			}
		}
	}
}
