package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// restCRM is chERP (client-credentials token server, expiring tokens) that
// also answers customer profiles: the REST CRM is the only place that knows
// who is a VIP.
type restCRM struct {
	*chERP
	customers map[string]map[string]any
	asked     map[string]int
}

func newRestCRM(t *testing.T, customers map[string]map[string]any) *restCRM {
	c := &restCRM{chERP: newChERP(t, nil), customers: customers, asked: map[string]int{}}
	c.api.Close()
	c.api = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.api.Close)
	return c
}

func (c *restCRM) serve(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutPrefix(r.URL.Path, "/customers/")
	if !ok || strings.Contains(id, "/") {
		c.order(w, r)
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	c.mu.Lock()
	at, issued := c.issued[tok]
	cu, known := c.customers[id]
	c.asked[id]++
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case !issued || time.Since(at) > chTokenLife:
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_token"}`))
	case !known:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"customer not found"}`))
	default:
		_ = json.NewEncoder(w).Encode(cu)
	}
}

// A VIP known only to the REST CRM (not to the built-in crm_customers table)
// gets VIP handling: the same calm question is P2 for them and P4 for a
// customer the CRM does not know.
func TestRESTCRMVIPGetsVIPHandling(t *testing.T) {
	t.Parallel()
	crm := newRestCRM(t, map[string]map[string]any{
		"rest-vip-1": {"id": "rest-vip-1", "vip_tier": "gold", "preferred_language": "en", "training_consent": false},
	})
	in := start(t, crm.env()...)
	const q = "What are your opening hours on Saturday?"
	vip := in.post("api", "rest-vip-1", "crm-vip-conv", "m1", q)
	plain := in.post("api", "rest-plain-2", "crm-plain-conv", "m1", q)
	answered := func(c contactView) bool { return c.botAnswers() > 0 && c.Ticket != nil }
	v := in.waitContact(vip.ContactID, 20*time.Second, answered)
	p := in.waitContact(plain.ContactID, 20*time.Second, answered)
	if v.Ticket.Priority != "P2" || v.Priority != "P2" {
		t.Errorf("REST-CRM VIP: ticket %s, contact %s; want P2 (VIPs wait no longer than P2)", v.Ticket.Priority, v.Priority)
	}
	if p.Ticket.Priority != "P4" {
		t.Errorf("customer unknown to the CRM: ticket %s, want P4", p.Ticket.Priority)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgBase()+"/"+in.db+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var vipFlag bool
	if err := conn.QueryRow(ctx, `SELECT vip FROM contacts WHERE id = $1`, vip.ContactID).Scan(&vipFlag); err != nil || !vipFlag {
		t.Errorf("contact not recorded as VIP (%v)", err)
	}
	var builtIn int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM crm_customers WHERE customer_id = 'rest-vip-1'`).Scan(&builtIn); err != nil || builtIn != 0 {
		t.Errorf("the built-in CRM knows the customer (%d, %v): the test would not tell the CRMs apart", builtIn, err)
	}
	crm.mu.Lock()
	defer crm.mu.Unlock()
	if crm.asked["rest-vip-1"] == 0 || crm.tokenReqs == 0 {
		t.Errorf("the REST CRM was asked %d times with %d tokens issued", crm.asked["rest-vip-1"], crm.tokenReqs)
	}
}
