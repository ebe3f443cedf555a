package api

import (
	"context"
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
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store"
)

// playbookServer serves MountPlaybooks over a fresh, migrated test database
// with a request limit of maxBody bytes.
func playbookServer(t *testing.T, maxBody int64) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: maxBody, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(), Extra: []func(*gin.Engine, *Server){MountPlaybooks},
		Keys: map[string]config.APIKey{
			"admin-key": {Key: "admin-key", Role: config.RoleAdmin, Identity: "ops-amy"},
			"agent-key": {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

// playbookYAML is the shipped set under another version, with old replaced
// by new (once) when old is not empty.
func playbookYAML(t *testing.T, version, old, new string) string {
	t.Helper()
	src := string(playbook.DefaultYAML())
	for _, r := range [][2]string{{`version: "` + playbook.Default().Version + `"`, `version: "` + version + `"`}, {old, new}} {
		if r[0] == "" {
			continue
		}
		if strings.Count(src, r[0]) != 1 {
			t.Fatalf("%q occurs %d times in the default playbooks", r[0], strings.Count(src, r[0]))
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	return src
}

func TestPlaybooksAPI(t *testing.T) {
	ts, st := playbookServer(t, 1<<20)
	const hoursKind = "    action: answer\n    ticket_kind: inquiry\n    handoff_when: [no_answer, low_confidence]\n    templates: &handoff\n"
	v1 := playbookYAML(t, "2027.1", "", "")
	conflicting := playbookYAML(t, "2027.1", hoursKind, strings.Replace(hoursKind, "inquiry", "opening_hours", 1))
	v2 := playbookYAML(t, "2027.2", hoursKind, strings.Replace(hoursKind, "inquiry", "opening_hours", 1))
	invalid := playbookYAML(t, "2027.3", "action: ask_order", "action: ask_nicely")

	tests := []struct {
		name   string
		call   call
		status int
		want   string
	}{
		{"no key", call{"GET", "/v1/playbooks", "", "", ""}, 401, "unauthorized"},
		{"agent may not read", call{"GET", "/v1/playbooks", "agent-key", "", ""}, 403, "forbidden"},
		{"agent may not import", call{"POST", "/v1/playbooks/import", "agent-key", "application/yaml", v1}, 403, "forbidden"},
		{"no key activate", call{"POST", "/v1/playbooks/versions/2027.1/activate", "", "", ""}, 401, "unauthorized"},
		{"default in force", call{"GET", "/v1/playbooks", "admin-key", "", ""}, 200, `"source":"default"`},
		{"default export", call{"GET", "/v1/playbooks/export", "admin-key", "", ""}, 200, `version: "` + playbook.Default().Version + `"`},
		{"import", call{"POST", "/v1/playbooks/import", "admin-key", "application/yaml", v1}, 201, `"created":true`},
		{"import again identical", call{"POST", "/v1/playbooks/import", "admin-key", "application/yaml", v1}, 200, `"created":false`},
		{"import conflicting", call{"POST", "/v1/playbooks/import", "admin-key", "", conflicting}, 409, "already exists with other playbooks"},
		{"import invalid", call{"POST", "/v1/playbooks/import", "admin-key", "", invalid}, 422, `action \"ask_nicely\" unknown`},
		{"import not yaml", call{"POST", "/v1/playbooks/import", "admin-key", "", "version: ["}, 422, "playbook:"},
		{"import missing intents", call{"POST", "/v1/playbooks/import", "admin-key", "", "version: \"9\"\nplaybooks: []\n"}, 422, "playbook complaint: missing"},
		{"import empty", call{"POST", "/v1/playbooks/import", "admin-key", "", " \n"}, 400, "empty"},
		{"bad activate flag", call{"POST", "/v1/playbooks/import?activate=maybe", "admin-key", "", v2}, 422, "activate"},
		{"import staged", call{"POST", "/v1/playbooks/import?activate=false", "admin-key", "", v2}, 201, `"active":false`},
		{"active is the import", call{"GET", "/v1/playbooks", "admin-key", "", ""}, 200, `"source":"database","version":"2027.1","versions"`},
		{"summary per intent", call{"GET", "/v1/playbooks", "admin-key", "", ""}, 200, `"intent":"business_hours","action":"answer","ticket_kind":"inquiry"`},
		{"activate", call{"POST", "/v1/playbooks/versions/2027.2/activate", "admin-key", "", ""}, 200, `"active":true`},
		{"activate unknown", call{"POST", "/v1/playbooks/versions/1999.1/activate", "admin-key", "", ""}, 404, "not_found"},
		{"activated in force", call{"GET", "/v1/playbooks", "admin-key", "", ""}, 200, `"ticket_kind":"opening_hours"`},
		{"export active", call{"GET", "/v1/playbooks/export", "admin-key", "", ""}, 200, `version: "2027.2"`},
		{"export version", call{"GET", "/v1/playbooks/export?version=2027.1", "admin-key", "", ""}, 200, `version: "2027.1"`},
		{"export unknown", call{"GET", "/v1/playbooks/export?version=1999.1", "admin-key", "", ""}, 404, "not_found"},
	}
	for _, tc := range tests {
		status, body, _ := tc.call.do(t, ts)
		if status != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s; want %d containing %s", tc.name, status, body, tc.status, tc.want)
		}
	}

	// The export is the imported document, comments included, and reads back.
	_, body, hdr := call{"GET", "/v1/playbooks/export", "admin-key", "", ""}.do(t, ts)
	if string(body) != v2 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/yaml") {
		t.Errorf("export is not the imported document (Content-Type %s)", hdr.Get("Content-Type"))
	}
	if back, err := playbook.Parse(body); err != nil || back.For("business_hours").TicketKind != "opening_hours" {
		t.Errorf("export does not read back: %v", err)
	}
	var n int
	if err := st.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE actor = 'ops-amy' AND action LIKE 'playbooks.%'`).Scan(&n); err != nil || n != 4 {
		t.Errorf("playbook audit rows = %d (%v), want 4 (2 imports, 2 activations)", n, err)
	}
}

func TestPlaybooksAPILimits(t *testing.T) {
	ts, st := playbookServer(t, 512)
	status, body, _ := call{"POST", "/v1/playbooks/import", "admin-key", "application/yaml", string(playbook.DefaultYAML())}.do(t, ts)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized import: %d %s", status, body)
	}
	st.Close()
	for _, c := range []call{
		{"GET", "/v1/playbooks", "admin-key", "", ""},
		{"GET", "/v1/playbooks/export", "admin-key", "", ""},
		{"POST", "/v1/playbooks/versions/2027.1/activate", "admin-key", "", ""},
		{"POST", "/v1/playbooks/import", "admin-key", "", "version: \"9\"\nplaybooks: []\n"},
	} {
		status, body, _ := c.do(t, ts)
		want := http.StatusServiceUnavailable
		if c.method == "POST" && strings.Contains(c.path, "import") {
			want = http.StatusUnprocessableEntity // validated before the database is asked
		}
		if status != want || strings.Contains(string(body), "closed") {
			t.Errorf("%s %s with the database down: %d %s", c.method, c.path, status, body)
		}
	}
}
