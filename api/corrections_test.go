package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

func TestCorrectReading(t *testing.T) {
	ts, st := correctionServer(t)
	wf := seedCustomer(t, st, "cust-yes", "conv-yes", "how many days to return an unopened kettle")
	id := contact.ID(wf)
	path := "/v1/contacts/" + id + "/messages/m1/correction"
	for _, tc := range []struct {
		name string
		req  privReq
		want int
	}{
		{"no key", privReq{"POST", path, "", `{"intent":"return_policy","negative":false}`}, 401},
		{"intake may not", privReq{"POST", path, "intake-key", `{"intent":"return_policy","negative":false}`}, 403},
		{"malformed", privReq{"POST", path, "agent-key", `{"intent":`}, 400},
		{"empty", privReq{"POST", path, "agent-key", ``}, 400},
		{"unknown intent", privReq{"POST", path, "agent-key", `{"intent":"returns","negative":false}`}, 422},
		{"negative missing", privReq{"POST", path, "agent-key", `{"intent":"return_policy"}`}, 422},
		{"negative wrong type", privReq{"POST", path, "agent-key", `{"intent":"return_policy","negative":"no"}`}, 422},
		{"unknown message", privReq{"POST", "/v1/contacts/" + id + "/messages/m9/correction", "agent-key", `{"intent":"return_policy","negative":false}`}, 404},
		{"unknown contact", privReq{"POST", "/v1/contacts/ct_nope/messages/m1/correction", "agent-key", `{"intent":"return_policy","negative":false}`}, 404},
		{"corrected", privReq{"POST", path, "agent-key", `{"intent":"return_policy","negative":false}`}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := tc.req.do(t, ts)
			if code != tc.want {
				t.Fatalf("status %d, want %d: %s", code, tc.want, body)
			}
			if code >= 400 {
				var e errorBody
				if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
					t.Fatalf("error shape: %s", body)
				}
			}
		})
	}

	// The contact status shows the message's own reading and the correction.
	code, body, _ := privReq{"GET", "/v1/contacts/" + id, "agent-key", ""}.do(t, ts)
	var v contacts.ContactView
	if code != 200 || json.Unmarshal(body, &v) != nil || len(v.Transcript) != 1 {
		t.Fatalf("contact: %d %s", code, body)
	}
	m := v.Transcript[0]
	if m.Intent != "refund_request" || m.Negative == nil || !*m.Negative || m.Correction == nil ||
		m.Correction.Intent != "return_policy" || m.Correction.Negative || m.Correction.Agent != "agent-ken" {
		t.Fatalf("transcript message = %+v (correction %+v)", m, m.Correction)
	}
	var audited int
	if err := st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'reading_correction' AND actor = 'agent-ken'`).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audit rows %d, %v", audited, err)
	}

	// Without training consent the corrected message stays out of the
	// export; with it, the export carries the agent's labels, in the shape
	// `harbordesk train --corrections` reads.
	if code, body, _ := (privReq{"GET", "/v1/training/export", "admin-key", ""}).do(t, ts); code != 200 || len(body) != 0 {
		t.Fatalf("export without consent: %d %q", code, body)
	}
	if code, body, _ := (privReq{"POST", "/v1/customers/cust-yes/consent", "admin-key", `{"purpose":"training","granted":true}`}).do(t, ts); code != 200 {
		t.Fatalf("consent: %d %s", code, body)
	}
	code, body, _ = privReq{"GET", "/v1/training/export", "admin-key", ""}.do(t, ts)
	if code != 200 {
		t.Fatalf("export: %d %s", code, body)
	}
	cs, err := nlu.ReadCorrections(bytes.NewReader(body))
	if err != nil || len(cs) != 1 {
		t.Fatalf("export lines %d, %v: %s", len(cs), err, body)
	}
	if cs[0].Intent != "return_policy" || cs[0].Negative == nil || *cs[0].Negative || !cs[0].TrainingConsent {
		t.Fatalf("exported %+v", cs[0])
	}
	if ex := nlu.TrainingExamples(cs); len(ex) != 1 || ex[0].Intent != "return_policy" || ex[0].Negative {
		t.Fatalf("training examples %+v", ex)
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		if strings.Contains(sc.Text(), "agent-ken") {
			t.Fatalf("export names the agent: %s", sc.Text())
		}
	}
}

// correctionServer serves the core routes, the privacy routes (consent,
// training export) and the correction route over a fresh database.
func correctionServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Extra: []func(*gin.Engine, *Server){MountCorrections,
			MountPrivacy(Privacy{Terminator: &fakeTerminator{}, SubjectKey: []byte("test-key")})},
		Keys: map[string]config.APIKey{
			"admin-key":  {Key: "admin-key", Role: config.RoleAdmin, Identity: "dpo-dora"},
			"agent-key":  {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
			"intake-key": {Key: "intake-key", Role: config.RoleIntake, Identity: "web-widget"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}
