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
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
)

// contentServer serves MountContent over a fresh, migrated test database.
func contentServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(), Extra: []func(*gin.Engine, *Server){MountContent},
		Keys: map[string]config.APIKey{
			"admin-key": {Key: "admin-key", Role: config.RoleAdmin, Identity: "ops-amy"},
			"agent-key": {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

type call struct {
	method, path, key, ctype, body string
}

func (c call) do(t *testing.T, ts *httptest.Server) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func articleJSON(t *testing.T, a kb.Article) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func popup(body string) kb.Article {
	return kb.Article{ID: "kowloon-bay-popup", Intent: "business_hours", Topic: "hours",
		Versions: map[string]kb.Version{kb.LocaleEn: {Title: "Kowloon Bay pop-up", Body: body}}}
}

func TestKBArticlesAPI(t *testing.T) {
	ts, st := contentServer(t)
	created := articleJSON(t, popup("Open 10:00-20:00 daily."))
	updated := articleJSON(t, popup("Open 11:00-21:00 daily."))
	bad := popup("x")
	bad.Intent = "gossip"
	tests := []struct {
		name string
		call
		status  int
		contain string
	}{
		{"no key", call{"GET", "/v1/kb/articles", "", "", ""}, 401, "missing API key"},
		{"unknown key", call{"GET", "/v1/kb/articles", "nope", "", ""}, 401, "unknown API key"},
		{"agent may not", call{"GET", "/v1/kb/articles", "agent-key", "", ""}, 403, "needs admin"},
		{"agent may not write", call{"POST", "/v1/kb/articles", "agent-key", "", created}, 403, "forbidden"},
		{"list defaults", call{"GET", "/v1/kb/articles", "admin-key", "", ""}, 200, `"source":"default"`},
		{"create", call{"POST", "/v1/kb/articles", "admin-key", "", created}, 201, `"version":1`},
		{"create again", call{"POST", "/v1/kb/articles", "admin-key", "", created}, 409, "already exists"},
		{"malformed", call{"POST", "/v1/kb/articles", "admin-key", "", `{"id":`}, 400, "malformed"},
		{"empty body", call{"POST", "/v1/kb/articles", "admin-key", "", ``}, 400, "malformed"},
		{"wrong type", call{"POST", "/v1/kb/articles", "admin-key", "", `{"id":7}`}, 422, "wrong type"},
		{"invalid", call{"POST", "/v1/kb/articles", "admin-key", "", articleJSON(t, bad)}, 422, `intent \"gossip\"`},
		{"get", call{"GET", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", ""}, 200, `"versions":{"en"`},
		{"get missing", call{"GET", "/v1/kb/articles/no-such", "admin-key", "", ""}, 404, "not_found"},
		{"update", call{"PUT", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", updated}, 200, `"version":2`},
		{"update id mismatch", call{"PUT", "/v1/kb/articles/other-id", "admin-key", "", updated}, 422, "must match"},
		{"update missing", call{"PUT", "/v1/kb/articles/no-such", "admin-key", "",
			`{"intent":"other","topic":"x","versions":{"en":{"title":"t","body":"b"}}}`}, 404, "not_found"},
		{"update invalid", call{"PUT", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "",
			`{"intent":"other","topic":"x","versions":{}}`}, 422, "at least one locale"},
		{"update malformed", call{"PUT", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", `[`}, 400, "malformed"},
		{"history", call{"GET", "/v1/kb/articles/kowloon-bay-popup/history", "admin-key", "", ""}, 200, `"version":2`},
		{"history missing", call{"GET", "/v1/kb/articles/no-such/history", "admin-key", "", ""}, 404, "not_found"},
		{"list from db", call{"GET", "/v1/kb/articles?limit=500", "admin-key", "", ""}, 200, `"id":"kowloon-bay-popup"`},
		{"bad limit", call{"GET", "/v1/kb/articles?limit=0", "admin-key", "", ""}, 422, "limit"},
		{"bad cursor", call{"GET", "/v1/kb/articles?cursor=!!!", "admin-key", "", ""}, 400, "bad_cursor"},
		{"delete", call{"DELETE", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", ""}, 204, ""},
		{"delete again", call{"DELETE", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", ""}, 404, "not_found"},
		{"get deleted", call{"GET", "/v1/kb/articles/kowloon-bay-popup", "admin-key", "", ""}, 404, "not_found"},
	}
	for _, tt := range tests {
		status, body, _ := tt.do(t, ts)
		if status != tt.status || !strings.Contains(string(body), tt.contain) {
			t.Errorf("%s: %d %s; want %d containing %q", tt.name, status, body, tt.status, tt.contain)
		}
	}
	var n int
	if err := st.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE actor = 'ops-amy' AND role = 'admin' AND action LIKE 'kb.article.%'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("audit rows for create/update/delete = %d (%v), want 3", n, err)
	}
}

func TestKBArticlesPaging(t *testing.T) {
	ts, _ := contentServer(t)
	seen := map[string]bool{}
	path := "/v1/kb/articles?limit=3"
	for pages := 0; ; pages++ {
		status, body, _ := call{"GET", path, "admin-key", "", ""}.do(t, ts)
		var page struct {
			Items []struct {
				ID      string   `json:"id"`
				Version int      `json:"version"`
				Locales []string `json:"locales"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if status != 200 || json.Unmarshal(body, &page) != nil {
			t.Fatalf("page %d: %d %s", pages, status, body)
		}
		for _, it := range page.Items {
			if seen[it.ID] || it.Version != 1 || len(it.Locales) == 0 {
				t.Fatalf("item %+v repeated or incomplete", it)
			}
			seen[it.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		path = "/v1/kb/articles?limit=3&cursor=" + page.NextCursor
	}
	if want := len(kb.DefaultArticles()); len(seen) != want {
		t.Fatalf("paged through %d articles, want %d", len(seen), want)
	}
}

func TestLexiconAPI(t *testing.T) {
	ts, st := contentServer(t)
	d := lexicon.Default()
	next := lexicon.Lexicon{Version: "2027.1", Entries: append(append([]lexicon.Entry{}, d.Entries...),
		lexicon.Entry{Term: "冲服务", Meaning: "test slang", Signals: []string{"anger"}})}
	yamlDoc, err := next.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	jsonNext := next
	jsonNext.Version = "2027.2"
	jsonDoc, _ := json.Marshal(jsonNext)
	conflicting := next
	conflicting.Entries = d.Entries
	conflictDoc, _ := conflicting.Marshal()

	tests := []struct {
		name string
		call
		status  int
		contain string
	}{
		{"agent may not", call{"GET", "/v1/lexicon", "agent-key", "", ""}, 403, "forbidden"},
		{"no key import", call{"POST", "/v1/lexicon/import", "", "", string(yamlDoc)}, 401, "unauthorized"},
		{"default in force", call{"GET", "/v1/lexicon", "admin-key", "", ""}, 200, `"source":"default"`},
		{"import yaml", call{"POST", "/v1/lexicon/import", "admin-key", "application/yaml", string(yamlDoc)}, 201, `"version":"2027.1"`},
		{"import again identical", call{"POST", "/v1/lexicon/import", "admin-key", "application/yaml", string(yamlDoc)}, 200, `"created":false`},
		{"import conflicting", call{"POST", "/v1/lexicon/import", "admin-key", "", string(conflictDoc)}, 409, "already exists"},
		{"import json staged", call{"POST", "/v1/lexicon/import?activate=false", "admin-key", "application/json", string(jsonDoc)}, 201, `"active":false`},
		{"import malformed json", call{"POST", "/v1/lexicon/import", "admin-key", "application/json", `{"version":`}, 400, "not valid JSON"},
		{"import empty", call{"POST", "/v1/lexicon/import", "admin-key", "", "  "}, 400, "empty"},
		{"import invalid", call{"POST", "/v1/lexicon/import", "admin-key", "text/yaml",
			"version: x\nentries:\n  - {term: 落單, meaning: order, signals: [teleport]}\n"}, 422, `unknown signal \"teleport\"`},
		{"import no version", call{"POST", "/v1/lexicon/import", "admin-key", "", "entries: []\n"}, 422, "missing version"},
		{"bad activate flag", call{"POST", "/v1/lexicon/import?activate=maybe", "admin-key", "", string(yamlDoc)}, 422, "activate"},
		{"active is imported", call{"GET", "/v1/lexicon", "admin-key", "", ""}, 200, `"source":"database","version":"2027.1","versions"`},
		{"versions", call{"GET", "/v1/lexicon/versions", "admin-key", "", ""}, 200, `"version":"2027.2"`},
		{"activate", call{"POST", "/v1/lexicon/versions/2027.2/activate", "admin-key", "", ""}, 200, `"active":true`},
		{"activate unknown", call{"POST", "/v1/lexicon/versions/1999.1/activate", "admin-key", "", ""}, 404, "not_found"},
		{"export active", call{"GET", "/v1/lexicon/export", "admin-key", "", ""}, 200, "version: \"2027.2\""},
		{"export version", call{"GET", "/v1/lexicon/export?version=2027.1", "admin-key", "", ""}, 200, "冲服务"},
		{"export unknown", call{"GET", "/v1/lexicon/export?version=1999.1", "admin-key", "", ""}, 404, "not_found"},
	}
	for _, tt := range tests {
		status, body, _ := tt.do(t, ts)
		if status != tt.status || !strings.Contains(string(body), tt.contain) {
			t.Errorf("%s: %d %.300s; want %d containing %q", tt.name, status, body, tt.status, tt.contain)
		}
	}
	// The export reads back as the same lexicon.
	_, body, hdr := call{"GET", "/v1/lexicon/export", "admin-key", "", ""}.do(t, ts)
	if back, err := lexicon.Parse(body); err != nil || back.Version != "2027.2" || len(back.Entries) != len(next.Entries) {
		t.Errorf("export does not round-trip: %v", err)
	}
	if !strings.HasPrefix(hdr.Get("Content-Type"), "application/yaml") {
		t.Errorf("export content type %q", hdr.Get("Content-Type"))
	}
	var n int
	if err := st.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE actor = 'ops-amy' AND action LIKE 'lexicon.%'`).Scan(&n); err != nil || n != 4 {
		t.Errorf("lexicon audit rows = %d (%v), want 4 (2 imports, 2 activations)", n, err)
	}
}

func TestContentAPIDatabaseDown(t *testing.T) {
	ts, st := contentServer(t)
	st.Close()
	for _, c := range []call{
		{"GET", "/v1/kb/articles", "admin-key", "", ""},
		{"GET", "/v1/kb/articles/x", "admin-key", "", ""},
		{"POST", "/v1/kb/articles", "admin-key", "", articleJSON(t, popup("b"))},
		{"GET", "/v1/lexicon", "admin-key", "", ""},
		{"GET", "/v1/lexicon/export", "admin-key", "", ""},
	} {
		status, body, _ := c.do(t, ts)
		if status != http.StatusServiceUnavailable || strings.Contains(string(body), "closed") {
			t.Errorf("%s %s with the database down: %d %s", c.method, c.path, status, body)
		}
	}
}
