package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store"
)

func profileServer(t *testing.T, maxBody int64) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: maxBody, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(), Extra: []func(*gin.Engine, *Server){MountProfile},
		Keys: map[string]config.APIKey{
			"admin-key": {Key: "admin-key", Role: config.RoleAdmin, Identity: "ops-amy"},
			"agent-key": {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

// clinicJSON is a clinic's profile as JSON, with old replaced by new.
func clinicJSON(t *testing.T, old, new string) string {
	t.Helper()
	tx := func(s string) map[string]string { return map[string]string{"en": s, "zh-Hant": s + "。"} }
	doc := map[string]any{
		"business": map[string]any{"name": "Kowloon Dental Clinic", "privacy_url": "https://kdc.example/privacy",
			"order_number": map[string]string{"pattern": `KD\d{6}`, "example": "KD123456"},
			"locales":      []string{"yue-Hant", "zh-Hant", "zh-Hans", "en"}},
		"texts": map[string]any{
			"privacy_notice": tx("Hello from {business_name}. Privacy: {privacy_url}"), "handoff": tx("A nurse at {business_name} will reply"),
			"handoff_after_hours": tx("{business_name} replies at 9"), "human_arm_ack": tx("Got it"),
			"ask_order_number": tx("Booking number (e.g. {order_example})"), "order_missing": tx("Booking {order_id} not found"),
			"opt_out": tx("Stopped"), "csat_survey": tx("Rate us"), "csat_thanks": tx("Thanks"), "voice_unreadable": tx("Got your voice note"),
		}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if old != "" {
		if strings.Count(s, old) != 1 {
			t.Fatalf("%q occurs %d times", old, strings.Count(s, old))
		}
		s = strings.Replace(s, old, new, 1)
	}
	return s
}

func TestProfileAPI(t *testing.T) {
	ts, st := profileServer(t, 1<<20)
	clinic := clinicJSON(t, "", "")
	yamlDoc := string(profile.DefaultYAML())
	tests := []struct {
		name   string
		call   call
		status int
		want   string
	}{
		{"no key", call{"GET", "/v1/profile", "", "", ""}, 401, "unauthorized"},
		{"agent may not read", call{"GET", "/v1/profile", "agent-key", "", ""}, 403, "forbidden"},
		{"agent may not import", call{"POST", "/v1/profile/import", "agent-key", "application/json", clinic}, 403, "forbidden"},
		{"default in force", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"source":"default"`},
		{"default names the sample shop", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"name":"Harbour Home \u0026 Tech"`},
		{"no versions yet", call{"GET", "/v1/profile/versions", "admin-key", "", ""}, 200, `"items":[]`},
		{"import json", call{"POST", "/v1/profile/import", "admin-key", "application/json", clinic}, 201, `"version":1`},
		{"in force", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"name":"Kowloon Dental Clinic"`},
		{"unknown placeholder", call{"POST", "/v1/profile/import", "admin-key", "application/json",
			clinicJSON(t, `"A nurse at {business_name} will reply"`, `"Hi {no_such_placeholder}"`)}, 422, "texts.handoff.en: unknown placeholder {no_such_placeholder}"},
		{"missing text", call{"POST", "/v1/profile/import", "admin-key", "application/json",
			clinicJSON(t, `"opt_out":{"en":"Stopped","zh-Hant":"Stopped。"},`, "")}, 422, "texts.opt_out: is missing"},
		{"bad url", call{"POST", "/v1/profile/import", "admin-key", "application/json",
			clinicJSON(t, "https://kdc.example/privacy", "ftp://x")}, 422, "business.privacy_url"},
		{"not a document", call{"POST", "/v1/profile/import", "admin-key", "", "business: ["}, 422, "profile:"},
		{"empty", call{"POST", "/v1/profile/import", "admin-key", "", " \n"}, 400, "empty"},
		{"import yaml staged", call{"POST", "/v1/profile/import?activate=false", "admin-key", "application/yaml", yamlDoc}, 201, `"version":2,"name":"Harbour Home \u0026 Tech","author":"ops-amy"`},
		{"staged not in force", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"version":1`},
		{"versions newest first", call{"GET", "/v1/profile/versions", "admin-key", "", ""}, 200, `"items":[{"version":2`},
		{"activate", call{"POST", "/v1/profile/versions/2/activate", "admin-key", "", ""}, 200, `"active":true`},
		{"rolled forward", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"version":2`},
		{"roll back", call{"POST", "/v1/profile/versions/1/activate", "admin-key", "", ""}, 200, `"active":true`},
		{"rolled back", call{"GET", "/v1/profile", "admin-key", "", ""}, 200, `"Kowloon Dental Clinic"`},
		{"one version", call{"GET", "/v1/profile?version=2", "admin-key", "", ""}, 200, `"Harbour Home \u0026 Tech"`},
		{"unknown version", call{"GET", "/v1/profile?version=99", "admin-key", "", ""}, 404, "not_found"},
		{"malformed version", call{"GET", "/v1/profile?version=x", "admin-key", "", ""}, 404, "not_found"},
		{"activate unknown", call{"POST", "/v1/profile/versions/99/activate", "admin-key", "", ""}, 404, "not_found"},
		{"activate malformed", call{"POST", "/v1/profile/versions/abc/activate", "admin-key", "", ""}, 404, "not_found"},
		{"placeholders", call{"GET", "/v1/profile/placeholders", "admin-key", "", ""}, 200, `"key":"order_missing","required":true,"placeholders":["business_name","privacy_url","order_example","order_id"]`},
	}
	for _, tc := range tests {
		status, body, _ := tc.call.do(t, ts)
		if status != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s; want %d containing %s", tc.name, status, body, tc.status, tc.want)
		}
	}
	// What GET answers imports again unchanged.
	_, body, _ := call{"GET", "/v1/profile", "admin-key", "", ""}.do(t, ts)
	if status, b, _ := (call{"POST", "/v1/profile/import", "admin-key", "application/json", string(body)}).do(t, ts); status != 201 || !strings.Contains(string(b), `"version":3,"name":"Kowloon Dental Clinic"`) {
		t.Errorf("re-import of GET /v1/profile: %d %s", status, b)
	}
	var n int
	if err := st.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE actor = 'ops-amy' AND action LIKE 'profile.%'`).Scan(&n); err != nil || n != 7 {
		t.Errorf("profile audit rows = %d (%v), want 7 (3 imports, 4 activations)", n, err)
	}
}

func TestProfileAPIDatabaseDown(t *testing.T) {
	ts, st := profileServer(t, 1<<20)
	st.Close()
	for _, c := range []call{
		{"GET", "/v1/profile", "admin-key", "", ""},
		{"GET", "/v1/profile/versions", "admin-key", "", ""},
		{"POST", "/v1/profile/versions/1/activate", "admin-key", "", ""},
		{"POST", "/v1/profile/import", "admin-key", "", string(profile.DefaultYAML())},
	} {
		status, body, _ := c.do(t, ts)
		if status != http.StatusServiceUnavailable || strings.Contains(string(body), "closed") {
			t.Errorf("%s %s with the database down: %d %s", c.method, c.path, status, body)
		}
	}
}
