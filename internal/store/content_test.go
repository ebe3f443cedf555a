package store_test

import (
	"context"
	"testing"

	"github.com/harbordesk/harbordesk/internal/store"
)

var (
	admin1 = store.Editor{Identity: "ops-amy", Role: "admin"}
	admin2 = store.Editor{Identity: "ops-ben", Role: "admin"}
)

func auditCount(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	var n int
	if err := st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
