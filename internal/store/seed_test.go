package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/storetest"
)

// seeded is one customer's contact as the workflow would have recorded it
// (for the retention test of notes and attachments).
type seeded = storetest.Contact

// seed records a customer's contact (storetest.SeedContact) with a voice
// note, CRM rows and a reveal audit entry.
func seed(t testing.TB, st *store.Store, customer, tag string, at time.Time, resolve bool) seeded {
	t.Helper()
	ctx := context.Background()
	s := storetest.SeedContact(t, st.Pool, customer, tag, at, resolve)
	ring, err := codec.ParseKeyring(config.DevDataKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.AudioVault{Store: st, Ring: ring}).Put(ctx, s.ContactID, "audio/ogg", []byte("voice-"+tag)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `
		INSERT INTO crm_customers (customer_id, vip_tier, preferred_language) VALUES ($1,'gold','yue') ON CONFLICT DO NOTHING;`, customer); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `INSERT INTO crm_orders (order_no, customer_id, status, tracking_no) VALUES ($1,$2,'shipped',$3)`,
		"HK"+tag, customer, "SF"+tag); err != nil {
		t.Fatal(err)
	}
	if err := st.Audit(ctx, "agent-1", "agent", "reveal", customer, map[string]any{"field": "phone"}); err != nil {
		t.Fatal(err)
	}
	return s
}
